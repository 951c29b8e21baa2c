using System.Diagnostics;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Metrics;
using DnsMcs.Zone;

namespace DnsMcs.Tests.Metrics;

public sealed class DnsMetricsTests
{
    public static TheoryData<DnsRecordType, string> Types => new()
    {
        { DnsRecordType.A, "A" },
        { DnsRecordType.AAAA, "AAAA" },
        { DnsRecordType.SRV, "SRV" },
        { DnsRecordType.TXT, "TXT" },
        { DnsRecordType.SOA, "SOA" },
        { DnsRecordType.NS, "NS" },
        { DnsRecordType.PTR, "PTR" },
        { DnsRecordType.ANY, "ANY" },
        { DnsRecordType.AXFR, "AXFR" },
        { (DnsRecordType)65, "HTTPS" },
        { (DnsRecordType)48, "DNSKEY" },
        { DnsRecordType.OPT, "other" },
        { (DnsRecordType)99, "other" },
        { (DnsRecordType)65280, "other" },
    };

    public static TheoryData<DnsResponseCode, string> Rcodes => new()
    {
        { DnsResponseCode.NoError, "NOERROR" },
        { DnsResponseCode.FormErr, "FORMERR" },
        { DnsResponseCode.ServFail, "SERVFAIL" },
        { DnsResponseCode.NXDomain, "NXDOMAIN" },
        { DnsResponseCode.NotImp, "NOTIMP" },
        { DnsResponseCode.Refused, "REFUSED" },
        { DnsResponseCode.BadVers, "BADSIG" },
        { (DnsResponseCode)3000, "RCODE3000" },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Type_Qtype_IsCoreDnsLabel(DnsRecordType type, string expected) =>
        Assert.Equal(expected, DnsMetricLabels.Type(type));

    [Theory]
    [MemberData(nameof(Rcodes))]
    public void Rcode_Code_IsCoreDnsSpelling(DnsResponseCode rcode, string expected) =>
        Assert.Equal(expected, DnsMetricLabels.Rcode(rcode));

    [Fact]
    public void RecordQuery_OneQuery_WritesCoreDnsSeries()
    {
        using var metrics = new DnsMetrics("dns://:53", "clusterset.local.");
        using var collector = new MetricsCollector([metrics.Meter]);

        metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 45, 61, Stopwatch.GetTimestamp());
        metrics.RecordQuery(DnsTransport.Tcp, AddressFamily.InterNetworkV6, DnsRecordType.SRV, DnsResponseCode.NXDomain, 50, 120, Stopwatch.GetTimestamp());
        metrics.RecordPanic();

        var exposition = Exposition.Parse(collector.Scrape());
        (string, string)[] scope = [("server", "dns://:53"), ("zone", "clusterset.local."), ("view", "")];

        Assert.Equal(1, exposition.Value("coredns_dns_requests_total", [.. scope, ("proto", "udp"), ("family", "1"), ("type", "A")]));
        Assert.Equal(1, exposition.Value("coredns_dns_requests_total", [.. scope, ("proto", "tcp"), ("family", "2"), ("type", "SRV")]));
        Assert.Equal(1, exposition.Value("coredns_dns_responses_total", [.. scope, ("rcode", "NOERROR"), ("plugin", "dnsmcs")]));
        Assert.Equal(1, exposition.Value("coredns_dns_responses_total", [.. scope, ("rcode", "NXDOMAIN"), ("plugin", "dnsmcs")]));
        Assert.Equal(1, exposition.Value("coredns_dns_request_duration_seconds_count", [.. scope, ("type", "A")]));
        Assert.Equal(45, exposition.Value("coredns_dns_request_size_bytes_sum", [.. scope, ("proto", "udp")]));
        Assert.Equal(1, exposition.Value("coredns_dns_request_size_bytes_bucket", [.. scope, ("proto", "udp"), ("le", "100")]));
        Assert.Equal(0, exposition.Value("coredns_dns_response_size_bytes_bucket", [.. scope, ("proto", "tcp"), ("le", "100")]));
        Assert.Equal(1, exposition.Value("coredns_dns_response_size_bytes_bucket", [.. scope, ("proto", "tcp"), ("le", "200")]));
        Assert.Equal(1, exposition.Value("coredns_panics_total"));
        Assert.Equal(1, exposition.Samples.Single(s => s.Name == "coredns_build_info").Value);
        Assert.StartsWith("dotnet", exposition.Samples.Single(s => s.Name == "coredns_build_info").Labels["goversion"], StringComparison.Ordinal);
        ExpositionAssert.HistogramsConsistent(exposition);
    }

    [Fact]
    public void RecordQuery_FromDnsResponse_UsesItsRcodeTypeAndLength()
    {
        using var metrics = new DnsMetrics(DnsMetrics.ServerLabel(5353), "clusterset.local");
        using var collector = new MetricsCollector([metrics.Meter]);
        var response = new DnsResponse(77, DnsResponseCode.Refused, DnsRecordType.TXT, Truncated: false);

        metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, 30, response, Stopwatch.GetTimestamp());

        var exposition = Exposition.Parse(collector.Scrape());
        var request = exposition.Samples.Single(s => s.Name == "coredns_dns_requests_total");
        Assert.Equal("TXT", request.Labels["type"]);
        Assert.Equal("dns://:5353", request.Labels["server"]);
        Assert.Equal("clusterset.local.", request.Labels["zone"]);
        Assert.Equal("REFUSED", exposition.Samples.Single(s => s.Name == "coredns_dns_responses_total").Labels["rcode"]);
        Assert.Equal(77, exposition.Value("coredns_dns_response_size_bytes_sum"));
    }

    [Fact]
    public void RecordQuery_DurationBuckets_AreCoreDnsTimeBuckets()
    {
        using var metrics = new DnsMetrics("dns://:53", "clusterset.local.");
        using var collector = new MetricsCollector([metrics.Meter]);
        metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 40, 60, Stopwatch.GetTimestamp());

        var bounds = Exposition.Parse(collector.Scrape()).Samples
            .Where(s => s.Name == "coredns_dns_request_duration_seconds_bucket")
            .Select(s => s.Labels["le"])
            .ToList();

        Assert.Equal(17, bounds.Count);
        Assert.Equal("0.00025", bounds[0]);
        Assert.Equal("8.192", bounds[^2]);
        Assert.Equal("+Inf", bounds[^1]);
    }

    [Fact]
    public void RecordQuery_Dropped_CountsRequestButNoResponse()
    {
        using var metrics = new DnsMetrics("dns://:53", "clusterset.local.");
        using var collector = new MetricsCollector([metrics.Meter]);

        metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 12, 0, Stopwatch.GetTimestamp());

        var exposition = Exposition.Parse(collector.Scrape());
        Assert.Equal(1, exposition.Family("coredns_dns_requests_total").Sum(s => s.Value));
        Assert.Empty(exposition.Family("coredns_dns_responses_total"));
    }

    [Fact]
    public void RecordQuery_AfterWarmUp_AllocatesNothing()
    {
        using var metrics = new DnsMetrics("dns://:53", "clusterset.local.");
        using var collector = new MetricsCollector([metrics.Meter]);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < 100; i++)
        {
            Record(metrics, start);
        }

        var windows = AllocationWindows.Measure(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                Record(metrics, start);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.True(windows[^1] == 0, $"allocated in every window of 1000 records: {string.Join(", ", windows)} B");

        static void Record(DnsMetrics metrics, long start)
        {
            metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 40, 60, start);
            metrics.RecordQuery(DnsTransport.Tcp, AddressFamily.InterNetworkV6, DnsRecordType.SRV, DnsResponseCode.NXDomain, 40, 200, start);
        }
    }

    [Fact]
    public void RecordQuery_NoCollector_DoesNothing()
    {
        using var metrics = new DnsMetrics("dns://:53", "clusterset.local.");

        // With no listener the instruments are disabled; the call must be a no-op, not a throw.
        metrics.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 40, 60, Stopwatch.GetTimestamp());

        using var collector = new MetricsCollector([metrics.Meter]);
        Assert.Empty(Exposition.Parse(collector.Scrape()).Family("coredns_dns_requests_total"));
    }
}
