using BenchmarkDotNet.Attributes;
using DnsMcs.Dns;
using DnsMcs.Zone;

namespace DnsMcs.Benchmarks;

/// <summary>
/// The whole hot path, packet in to answer out (parse, lowercase, look up, copy the precompiled
/// sections, write header and OPT), on an index of 10k services. Parse alone is the baseline.
/// </summary>
[MemoryDiagnoser]
public class ResponderBenchmarks
{
    private const int Services = 10_000;
    private readonly byte[] _response = new byte[65535];
    private DnsResponder _responder = null!;
    private byte[] _a = null!;
    private byte[] _srv = null!;
    private byte[] _headlessA = null!;
    private byte[] _endpointA = null!;
    private byte[] _nxdomain = null!;
    private byte[] _ednsSrv = null!;

    [GlobalSetup]
    public void Setup()
    {
        _responder = new DnsResponder(SyntheticClusterSet.Build(Services, endpointsPerService: 10));
        _a = Query(SyntheticClusterSet.ServiceName(1234), DnsRecordType.A);
        _srv = Query("_http._tcp." + SyntheticClusterSet.ServiceName(1234), DnsRecordType.SRV);
        _headlessA = Query(SyntheticClusterSet.ServiceName(1239), DnsRecordType.A);
        _endpointA = Query("svc-1239-2.cluster-b." + SyntheticClusterSet.ServiceName(1239), DnsRecordType.A);
        _nxdomain = Query("nope." + SyntheticClusterSet.ServiceName(1234)[4..], DnsRecordType.A);
        _ednsSrv = DnsMessage.CreateQuery("_http._tcp." + SyntheticClusterSet.ServiceName(1239), DnsRecordType.SRV, 1, edns: true, udpSize: 1232).ToWire();
        foreach (var query in new[] { _a, _srv, _headlessA, _endpointA, _nxdomain, _ednsSrv })
        {
            if (_responder.Respond(query, _response, DnsTransport.Udp).Length == 0)
            {
                throw new InvalidOperationException("setup query was dropped");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public DnsQueryStatus ParseOnly() => DnsQuery.Parse(_a, out _);

    [Benchmark]
    public int ClusterSetIpA() => _responder.Respond(_a, _response, DnsTransport.Udp).Length;

    [Benchmark]
    public int ClusterSetIpSrv() => _responder.Respond(_srv, _response, DnsTransport.Udp).Length;

    [Benchmark]
    public int HeadlessA() => _responder.Respond(_headlessA, _response, DnsTransport.Udp).Length;

    [Benchmark]
    public int EndpointA() => _responder.Respond(_endpointA, _response, DnsTransport.Udp).Length;

    [Benchmark]
    public int HeadlessSrvEdns() => _responder.Respond(_ednsSrv, _response, DnsTransport.Udp).Length;

    [Benchmark]
    public int NxDomain() => _responder.Respond(_nxdomain, _response, DnsTransport.Udp).Length;

    private static byte[] Query(string name, DnsRecordType type) => DnsMessage.CreateQuery(name, type, 1).ToWire();
}
