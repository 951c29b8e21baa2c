using System.Diagnostics;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Metrics;
using DnsMcs.Zone;

namespace DnsMcs.Tests.Metrics;

/// <summary>The hot path writes the collector's series directly; the exposition must not tell the difference.</summary>
public sealed class DnsMetricsDirectPathTests
{
    public static TheoryData<DnsTransport, AddressFamily, DnsRecordType, DnsResponseCode, int> Queries() => new()
    {
        { DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 90 },
        { DnsTransport.Tcp, AddressFamily.InterNetworkV6, DnsRecordType.SRV, DnsResponseCode.NXDomain, 120 },
        { DnsTransport.Udp, AddressFamily.InterNetwork, (DnsRecordType)99, DnsResponseCode.BadVers, 40 },
        { DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.AAAA, (DnsResponseCode)3000, 40 },
        { DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 0 },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void RecordQuery_AttachedCollector_SameExpositionAsThroughTheInstruments(DnsTransport proto, AddressFamily family, DnsRecordType type, DnsResponseCode rcode, int responseSize)
    {
        var viaInstruments = Record(attach: false, proto, family, type, rcode, responseSize);
        var direct = Record(attach: true, proto, family, type, rcode, responseSize);

        Assert.Equal(viaInstruments, direct);
        Assert.Contains("coredns_dns_requests_total{", direct, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordQuery_AttachedCollector_AllocatesNothingOnceWarm()
    {
        using var metrics = new DnsMetrics(DnsMetrics.ServerLabel(53), "clusterset.local");
        using var collector = new MetricsCollector([metrics.Meter]);
        metrics.AttachCollector(collector);
        var start = Stopwatch.GetTimestamp();
        metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 40, 80, start);

        var windows = AllocationWindows.Measure(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 40, 80, start);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.True(windows[^1] == 0, $"allocated in every window of 1000 records: {string.Join(", ", windows)} B");
    }

    private static string Record(bool attach, DnsTransport proto, AddressFamily family, DnsRecordType type, DnsResponseCode rcode, int responseSize)
    {
        using var metrics = new DnsMetrics(DnsMetrics.ServerLabel(53), "clusterset.local");
        using var collector = new MetricsCollector([metrics.Meter]);
        if (attach)
        {
            metrics.AttachCollector(collector);
        }

        for (var i = 0; i < 3; i++)
        {
            // A start timestamp of "now minus nothing" would make durations differ; a fixed one far back lands in +Inf both ways.
            metrics.RecordQuery(proto, family, type, rcode, 33, responseSize, 0);
        }

        // Durations sum differently between the two runs (they are real elapsed times); compare everything else.
        return string.Join('\n', collector.Scrape().Split('\n').Where(line => !line.StartsWith("coredns_dns_request_duration_seconds_sum", StringComparison.Ordinal)));
    }
}
