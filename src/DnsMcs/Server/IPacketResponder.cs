using DnsMcs.Zone;

namespace DnsMcs.Server;

/// <summary>
/// What a listener hands each message to. An interface rather than <see cref="DnsResponder"/> itself so the
/// transport can be tested with a stand-in; with one implementation loaded, tiered PGO devirtualizes the call.
/// </summary>
internal interface IPacketResponder
{
    /// <summary>Writes the answer to <paramref name="query"/> into <paramref name="response"/>; Length 0 means no reply.</summary>
    /// <param name="peer">Who asked; the answer never depends on it (only the query log reads it).</param>
    DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, DnsPeer peer);
}
