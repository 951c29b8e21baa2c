using System.Diagnostics;
using System.Globalization;
using DnsMcs.Dns;
using DnsMcs.Metrics;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>
/// CoreDNS's <c>log</c> plugin: one line per query in its default format,
/// <c>{remote}:{port} - {id} "{type} {class} {name} {proto} {size} {do} {bufsize}" {rcode} {rflags} {rsize} {duration}</c>.
/// Off by default (a line per query costs more than the query). The listeners pass who is asking with each
/// query, so one instance serves every loop and connection.
/// </summary>
internal sealed partial class QueryLoggingResponder(IPacketResponder inner, ILogger logger) : IPacketResponder
{
    public DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, DnsPeer peer)
    {
        var start = Stopwatch.GetTimestamp();
        var answer = inner.Respond(query, response, transport, peer);
        if (logger.IsEnabled(LogLevel.Information))
        {
            try
            {
                var line = Format(query, response[..answer.Length], answer, transport, peer, Stopwatch.GetElapsedTime(start));
                Query(logger, line);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                // A log line must never cost the answer.
                LineFailed(logger, e);
            }
        }

        return answer;
    }

    private static string Format(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, DnsResponse answer, DnsTransport transport, DnsPeer peer, TimeSpan elapsed)
    {
        var remote = peer.ToString();
        var proto = transport == DnsTransport.Tcp ? "tcp" : "udp";
        var question = "-";
        var id = query.Length >= 2 ? DnsHeader.ReadId(query) : 0;
        if (DnsQuery.Parse(query, out var q) == DnsQueryStatus.Ok)
        {
            var type = Enum.IsDefined(q.Type) ? q.Type.ToString() : "TYPE" + ((ushort)q.Type).ToString(CultureInfo.InvariantCulture);
            var @class = Enum.IsDefined((DnsClass)q.Class) ? ((DnsClass)q.Class).ToString() : "CLASS" + q.Class.ToString(CultureInfo.InvariantCulture);
            var bufsize = q.HasEdns ? q.EdnsUdpSize : DnsQuery.ClassicUdpSize;
            question = string.Create(CultureInfo.InvariantCulture,
                $"{type} {@class} {DnsName.ToText(q.Name(query))} {proto} {query.Length} {(q.EdnsDnssecOk ? "true" : "false")} {bufsize}");
        }

        if (answer.Length == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{remote} - {id} \"{question}\" - - 0 {elapsed.TotalSeconds:0.#########}s");
        }

        var flags = DnsHeader.ReadFlags(response);
        var rflags = string.Join(',', FlagNames(flags));
        return string.Create(CultureInfo.InvariantCulture,
            $"{remote} - {id} \"{question}\" {DnsMetricLabels.Rcode(answer.ResponseCode)} {rflags} {answer.Length} {elapsed.TotalSeconds:0.#########}s");
    }

    private static IEnumerable<string> FlagNames(ushort flags)
    {
        (ushort Bit, string Name)[] names =
        [
            (DnsHeader.QrFlag, "qr"), (DnsHeader.AaFlag, "aa"), (DnsHeader.TcFlag, "tc"), (DnsHeader.RdFlag, "rd"),
            (DnsHeader.RaFlag, "ra"), (DnsHeader.AdFlag, "ad"), (DnsHeader.CdFlag, "cd"),
        ];
        return names.Where(n => (flags & n.Bit) != 0).Select(n => n.Name);
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void Query(ILogger logger, string line);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "A query log line could not be written")]
    private static partial void LineFailed(ILogger logger, Exception exception);
}
