using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Reflection;
using DnsMcs.Dns;
using DnsMcs.Zone;

namespace DnsMcs.Metrics;

/// <summary>
/// The DNS metrics under CoreDNS's names and labels, so CoreDNS dashboards and alerts find DnsMcs's series.
/// server, zone and view are instrument tags (constant per server), so a query records only the labels that vary.
/// </summary>
internal sealed class DnsMetrics : IDisposable
{
    public const string MeterName = "DnsMcs.CoreDns";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _responses;
    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _requestSize;
    private readonly Histogram<int> _responseSize;
    private long _panics;

    // Hot-path caches of the collector's series, one slot per label combination (bounded: 2 protocols x 2
    // families x 19 types, 24 rcodes). Filled on first use; a race fills a slot twice with the same series.
    private static readonly int TypeSlots = DnsMetricLabels.TypeLabels.Length;
    private const int RcodeSlots = 24;
    private readonly MetricSeries?[] _requestSeries = new MetricSeries?[2 * 2 * TypeSlots];
    private readonly MetricSeries?[] _durationSeries = new MetricSeries?[TypeSlots];
    private readonly MetricSeries?[] _requestSizeSeries = new MetricSeries?[2];
    private readonly MetricSeries?[] _responseSizeSeries = new MetricSeries?[2];
    private readonly MetricSeries?[] _responseSeries = new MetricSeries?[RcodeSlots];
    private MetricsCollector? _collector;

    /// <param name="server">CoreDNS's server label, e.g. "dns://:53" (see <see cref="ServerLabel"/>).</param>
    /// <param name="zone">The zone; written with its trailing dot as CoreDNS does ("clusterset.local.").</param>
    /// <param name="view">CoreDNS's view label; empty as in CoreDNS without the view plugin.</param>
    /// <param name="plugin">The plugin label on responses: who wrote the answer.</param>
    public DnsMetrics(string server, string zone, string view = "", string plugin = "dnsmcs")
    {
        Meter = new Meter(MeterName);
        KeyValuePair<string, object?>[] scope = [new("server", server), new("zone", zone.TrimEnd('.') + "."), new("view", view)];

        _requests = Meter.CreateCounter<long>("coredns_dns_requests_total", null,
            "Counter of DNS requests made per zone, protocol and family.", scope);
        _responses = Meter.CreateCounter<long>("coredns_dns_responses_total", null,
            "Counter of response status codes.", [.. scope, new("plugin", plugin)]);
        _duration = Meter.CreateHistogram("coredns_dns_request_duration_seconds", "s",
            "Histogram of the time (in seconds) each request took per zone.", scope,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.CoreDnsDuration });
        _requestSize = Meter.CreateHistogram("coredns_dns_request_size_bytes", "By",
            "Size of the EDNS0 UDP buffer in bytes (64K for TCP) per zone and protocol.", scope,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = [.. MetricBuckets.CoreDnsSize.Select(b => (int)b)] });
        _responseSize = Meter.CreateHistogram("coredns_dns_response_size_bytes", "By",
            "Size of the returned response in bytes.", scope,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = [.. MetricBuckets.CoreDnsSize.Select(b => (int)b)] });
        // Observed rather than added to: a counter shows only once it has a series, and this one must read 0 from the start.
        Meter.CreateObservableCounter("coredns_panics_total", () => Interlocked.Read(ref _panics), null, "A metrics that counts the number of panics.");

        var (version, revision) = BuildVersion();
        Meter.CreateObservableGauge("coredns_build_info",
            () => new Measurement<long>(1, new("version", version), new("revision", revision), new("goversion", "dotnet" + Environment.Version)),
            null, "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.");
    }

    public Meter Meter { get; }

    /// <summary>
    /// Counts one answered (or deliberately dropped, with <paramref name="responseSize"/> 0) query: the one call the
    /// listeners make per packet. <paramref name="startTimestamp"/> is <see cref="Stopwatch.GetTimestamp"/> taken
    /// when the packet was received. Allocation-free: labels are interned literals passed in a stack TagList.
    /// </summary>
    public void RecordQuery(DnsTransport proto, AddressFamily family, DnsRecordType qtype, DnsResponseCode rcode,
        int requestSize, int responseSize, long startTimestamp)
    {
        if (_collector is { } collector)
        {
            RecordDirect(collector, proto, family, qtype, rcode, requestSize, responseSize, startTimestamp);
            return;
        }

        // No listener (metrics disabled): skip even the elapsed-time read.
        if (!_requests.Enabled)
        {
            return;
        }

        var protoLabel = DnsMetricLabels.Proto(proto);
        var typeLabel = DnsMetricLabels.Type(qtype);

        _requests.Add(1, new TagList { { "proto", protoLabel }, { "family", DnsMetricLabels.Family(family) }, { "type", typeLabel } });
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("type", typeLabel));
        _requestSize.Record(requestSize, new KeyValuePair<string, object?>("proto", protoLabel));

        // CoreDNS reports no response size or rcode for a query it drops without writing.
        if (responseSize > 0)
        {
            _responseSize.Record(responseSize, new KeyValuePair<string, object?>("proto", protoLabel));
            _responses.Add(1, new KeyValuePair<string, object?>("rcode", DnsMetricLabels.Rcode(rcode)));
        }
    }

    /// <summary>
    /// Lets <see cref="RecordQuery(DnsTransport, AddressFamily, DnsRecordType, DnsResponseCode, int, int, long)"/> update
    /// <paramref name="collector"/>'s series directly: the same series and values as through the instruments, without
    /// the listener dispatch and tag hashing five times per query.
    /// </summary>
    public void AttachCollector(MetricsCollector collector) => _collector = collector;

    private void RecordDirect(MetricsCollector collector, DnsTransport proto, AddressFamily family, DnsRecordType qtype,
        DnsResponseCode rcode, int requestSize, int responseSize, long startTimestamp)
    {
        var p = proto == DnsTransport.Tcp ? 1 : 0;
        var f = family == AddressFamily.InterNetworkV6 ? 1 : 0;
        var t = DnsMetricLabels.TypeIndex(qtype);
        var protoLabel = DnsMetricLabels.Proto(proto);
        var typeLabel = DnsMetricLabels.TypeLabels[t];

        ref var requests = ref _requestSeries[(((p * 2) + f) * TypeSlots) + t];
        requests ??= collector.Bind(_requests, [new("proto", protoLabel), new("family", DnsMetricLabels.Family(family)), new("type", typeLabel)]);
        requests?.Add(1);

        ref var duration = ref _durationSeries[t];
        duration ??= collector.Bind(_duration, [new("type", typeLabel)]);
        duration?.Observe(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

        ref var requestBytes = ref _requestSizeSeries[p];
        requestBytes ??= collector.Bind(_requestSize, [new("proto", protoLabel)]);
        requestBytes?.Observe(requestSize);

        // CoreDNS reports no response size or rcode for a query it drops without writing.
        if (responseSize <= 0)
        {
            return;
        }

        ref var responseBytes = ref _responseSizeSeries[p];
        responseBytes ??= collector.Bind(_responseSize, [new("proto", protoLabel)]);
        responseBytes?.Observe(responseSize);

        var r = (ushort)rcode;
        if (r < RcodeSlots)
        {
            ref var responses = ref _responseSeries[r];
            responses ??= collector.Bind(_responses, [new("rcode", DnsMetricLabels.Rcode(rcode))]);
            responses?.Add(1);
        }
        else
        {
            _responses.Add(1, new KeyValuePair<string, object?>("rcode", DnsMetricLabels.Rcode(rcode)));
        }
    }

    /// <summary>The same, reading rcode, qtype and response size from what the responder wrote.</summary>
    public void RecordQuery(DnsTransport proto, AddressFamily family, int requestSize, in DnsResponse response, long startTimestamp) =>
        RecordQuery(proto, family, response.QuestionType, response.ResponseCode, requestSize, response.Length, startTimestamp);

    /// <summary>CoreDNS's server label for a server block listening on <paramref name="port"/> without bind: "dns://:53".</summary>
    public static string ServerLabel(int port) => "dns://:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An exception escaped a query handler (CoreDNS counts recovered panics the same way).</summary>
    public void RecordPanic() => Interlocked.Increment(ref _panics);

    public void Dispose() => Meter.Dispose();

    private static (string Version, string Revision) BuildVersion()
    {
        // InformationalVersion is "1.2.3+<commit>" when SourceLink/CI stamps the revision.
        var informational = typeof(DnsMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, string.Empty) : (informational[..plus], informational[(plus + 1)..]);
    }
}
