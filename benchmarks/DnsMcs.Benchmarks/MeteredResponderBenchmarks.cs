using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using DnsMcs.Dns;
using DnsMcs.Metrics;
using DnsMcs.Server;
using DnsMcs.Zone;

namespace DnsMcs.Benchmarks;

/// <summary>
/// What counting costs on the hot path: the same query answered bare, and through the listeners' metered
/// responder with a Prometheus collector attached (so every CoreDNS instrument is enabled and recording), from an
/// ordinary thread and from one that counts as the listener loops do.
/// </summary>
[MemoryDiagnoser]
public class MeteredResponderBenchmarks
{
    private readonly byte[] _response = new byte[65535];
    private IPacketResponder _bare = null!;
    private IPacketResponder _metered = null!;
    private DnsMetrics _metrics = null!;
    private MetricsCollector _collector = null!;
    private byte[] _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        var responder = new DnsResponder(SyntheticClusterSet.Build(10_000, endpointsPerService: 10));
        _bare = new ZonePacketResponder(responder);
        _metrics = new DnsMetrics(DnsMetrics.ServerLabel(53), "clusterset.local");
        _collector = new MetricsCollector([_metrics.Meter]);
        _metrics.AttachCollector(_collector);
        _metered = new MeteredPacketResponder(_bare, _metrics, AddressFamily.InterNetwork);
        _query = DnsMessage.CreateQuery(SyntheticClusterSet.ServiceName(1234), DnsRecordType.A, 1).ToWire();
        if (_metered.Respond(_query, _response, DnsTransport.Udp, DnsPeer.None).Length == 0)
        {
            throw new InvalidOperationException("setup query was dropped");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _collector.Dispose();
        _metrics.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Bare() => _bare.Respond(_query, _response, DnsTransport.Udp, DnsPeer.None).Length;

    /// <summary>Counted from a thread without a writer stripe: interlocked adds into its processor's stripe.</summary>
    [Benchmark]
    public int Metered() => _metered.Respond(_query, _response, DnsTransport.Udp, DnsPeer.None).Length;

    /// <summary>
    /// Counted as a listener loop counts: from a thread holding a <see cref="MetricWriter"/>, with plain writes. Claimed on
    /// the first call, on the thread that runs the benchmark (each benchmark runs in a process of its own), and kept.
    /// </summary>
    [Benchmark]
    public int MeteredOnLoopThread()
    {
        if (MetricWriter.Current == 0)
        {
            _ = MetricWriter.Claim();
        }

        return _metered.Respond(_query, _response, DnsTransport.Udp, DnsPeer.None).Length;
    }
}
