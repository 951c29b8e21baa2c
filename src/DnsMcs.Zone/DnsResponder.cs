namespace DnsMcs.Zone;

/// <summary>Packet in, answer out (placeholder while the real one is written).</summary>
public sealed class DnsResponder
{
    private readonly ClusterSetIndex _index;

    public DnsResponder(ClusterSetIndex index) => _index = index;

    public DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport) => _index is null ? default : DnsResponse.Drop;
}
