using DnsMcs.Zone;

namespace DnsMcs.Server;

/// <summary>The production responder: the zone's answers.</summary>
internal sealed class ZonePacketResponder(DnsResponder responder) : IPacketResponder
{
    public DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, DnsPeer peer) =>
        responder.Respond(query, response, transport);
}
