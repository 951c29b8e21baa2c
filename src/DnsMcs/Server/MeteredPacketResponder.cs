using System.Diagnostics;
using System.Net.Sockets;
using DnsMcs.Metrics;
using DnsMcs.Zone;

namespace DnsMcs.Server;

/// <summary>
/// Counts every message a listener of one address family hands over, under CoreDNS's metric names, and
/// counts a responder exception as a panic before the listener's own handling. Allocation-free.
/// </summary>
internal sealed class MeteredPacketResponder(IPacketResponder inner, DnsMetrics metrics, AddressFamily family) : IPacketResponder
{
    public DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, DnsPeer peer)
    {
        var start = Stopwatch.GetTimestamp();
        DnsResponse answer;
        try
        {
            answer = inner.Respond(query, response, transport, peer);
        }
        catch
        {
            metrics.RecordPanic();
            throw;
        }

        metrics.RecordQuery(transport, family, query.Length, answer, start);
        return answer;
    }
}
