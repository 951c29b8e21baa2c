using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using DnsMcs.Dns;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.Sources.Kubernetes;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Benchmarks;

/// <summary>
/// One EndpointSlice update on the watch path of distributed mode, from the bytes of a MODIFIED watch
/// line to the published answer: the single-pass parse into the slim model (source-generated JSON), the
/// translator's MCS checks, the handler's no-change check, and the index recomputing and publishing the
/// service (a headless one, so each update changes its A answer). The index holds 10k services with one
/// 10-endpoint slice each, loaded through the same handlers. Each call alternates between two versions of
/// the slice, so every call is a real change. Parse alone is the baseline; a line that differs only in
/// resourceVersion and managedFields shows the cost of an update DNS does not need.
/// The watcher's own step (one dictionary lookup and store per event) is left out: it is private to it.
/// </summary>
[MemoryDiagnoser]
public class SliceUpdateBenchmarks
{
    private const int Services = 10_000;
    private const int EndpointsPerSlice = 10;
    private const int Target = 1234;

    private readonly byte[][] _changing = new byte[2][];
    private readonly byte[][] _unchanged = new byte[2][];
    private ClusterSetIndex _index = null!;
    private WatchHandler<EndpointSlice> _slices = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _index = new ClusterSetIndex(new ZoneOptions { NameServerAddresses = [System.Net.IPAddress.Loopback] });
        var imports = AppliedObjects.Handler(_index, "bench/serviceimports", ResourceTypes.ServiceImports, NullLogger.Instance);
        _slices = AppliedObjects.Handler(_index, "bench/endpointslices", ResourceTypes.EndpointSlices, NullLogger.Instance);
        using (_index.Batch())
        {
            for (var i = 0; i < Services; i++)
            {
                Apply(imports, ResourceTypes.ServiceImports, ImportLine(i));
                Apply(_slices, ResourceTypes.EndpointSlices, SliceLine(i, version: 0, firstOctet: 10, resourceVersion: 1));
            }
        }

        imports.OnSyncedAsync(CancellationToken.None).AsTask().Wait();
        _slices.OnSyncedAsync(CancellationToken.None).AsTask().Wait();
        _changing[0] = SliceLine(Target, version: 1, firstOctet: 11, resourceVersion: 2);
        _changing[1] = SliceLine(Target, version: 2, firstOctet: 10, resourceVersion: 3);
        _unchanged[0] = SliceLine(Target, version: 3, firstOctet: 10, resourceVersion: 4);
        _unchanged[1] = SliceLine(Target, version: 4, firstOctet: 10, resourceVersion: 5);

        // The published answer must follow the line, or the benchmark measures nothing.
        var responder = new DnsResponder(_index);
        var query = DnsMessage.CreateQuery($"svc-{Target}.ns-{Target / 50}.svc.clusterset.local.", DnsRecordType.A, 1).ToWire();
        var response = new byte[4096];
        Apply(_slices, ResourceTypes.EndpointSlices, _changing[0]);
        var answer = DnsMessage.Parse(response.AsSpan(0, responder.Respond(query, response, DnsTransport.Udp).Length));
        if (answer.Answers.Count != EndpointsPerSlice || !answer.Answers.Any(r => r.Data is DnsAddressData a && a.Address.GetAddressBytes()[0] == 11))
        {
            throw new InvalidOperationException("the update did not reach the answer");
        }
    }

    [Benchmark(Baseline = true)]
    public object? ParseOnly() => WatchEventParser.Parse(_changing[_next++ & 1], ResourceTypes.EndpointSlices, 0).Object;

    [Benchmark]
    public void LineToAnswer() => Apply(_slices, ResourceTypes.EndpointSlices, _changing[_next++ & 1]);

    [Benchmark]
    public void LineToAnswerNothingForDns() => Apply(_slices, ResourceTypes.EndpointSlices, _unchanged[_next++ & 1]);

    private static void Apply<T>(WatchHandler<T> handler, ResourceType<T> type, byte[] line)
        where T : KubernetesObject
    {
        var arrivedAt = Stopwatch.GetTimestamp();
        var watchEvent = WatchEventParser.Parse(line, type, arrivedAt);
        var change = new ResourceEvent<T>(watchEvent.Type == WatchEventType.Added ? ResourceEventType.Added : ResourceEventType.Updated, watchEvent.Object!, null, arrivedAt);
        var pending = handler.OnEventAsync(change, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().Wait();
        }
    }

    private static byte[] ImportLine(int i) => Line(
        """{"type":"ADDED","object":{"apiVersion":"multicluster.x-k8s.io/v1alpha1","kind":"ServiceImport","metadata":{"name":"svc-@I","namespace":"ns-@NS","uid":"6f1c1c5e-0000-4000-8000-@UID","resourceVersion":"@RV","generation":1,"creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{"type":"Headless","ports":[{"name":"http","protocol":"TCP","port":8080}]}}}""",
        ("@I", Text(i)), ("@NS", Text(i / 50)), ("@UID", i.ToString("D12", CultureInfo.InvariantCulture)), ("@RV", Text(i + 1)));

    /// <summary>
    /// A watch line as an API server sends it, managedFields and all; <paramref name="firstOctet"/> moves the
    /// endpoints' addresses (the DNS-relevant change), <paramref name="version"/> only the bookkeeping.
    /// </summary>
    private static byte[] SliceLine(int i, int version, int firstOctet, int resourceVersion)
    {
        var endpoints = new StringBuilder();
        for (var e = 0; e < EndpointsPerSlice; e++)
        {
            var n = (i * EndpointsPerSlice) + e;
            endpoints.Append(e > 0 ? "," : string.Empty).Append(Fill(
                """{"addresses":["@A"],"conditions":{"ready":true,"serving":true,"terminating":false},"hostname":"pod-@E","nodeName":"node-@Z","zone":"zone-@Z","targetRef":{"kind":"Pod","namespace":"ns-@NS","name":"svc-@I-pod-@E","uid":"0a1b2c3d-0000-4000-8000-@UID"}}""",
                ("@A", string.Create(CultureInfo.InvariantCulture, $"{firstOctet}.{n >> 16}.{(n >> 8) & 255}.{n & 255}")),
                ("@E", Text(e)), ("@Z", Text(e % 3)), ("@NS", Text(i / 50)), ("@I", Text(i)), ("@UID", n.ToString("D12", CultureInfo.InvariantCulture))));
        }

        return Line(
            """{"type":"@T","object":{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"svc-@I-east","namespace":"ns-@NS","uid":"1d2e3f40-0000-4000-8000-@UID","resourceVersion":"@RV","generation":@G,"creationTimestamp":"2026-01-01T00:00:00Z","labels":{"multicluster.kubernetes.io/service-name":"svc-@I","multicluster.kubernetes.io/source-cluster":"east","endpointslice.kubernetes.io/managed-by":"dnsmcs-controller"},"managedFields":[{"manager":"dnsmcs-controller","operation":"Apply","apiVersion":"discovery.k8s.io/v1","time":"2026-01-01T00:00:@SSZ","fieldsType":"FieldsV1","fieldsV1":{"f:addressType":{},"f:endpoints":{},"f:metadata":{"f:labels":{"f:multicluster.kubernetes.io/service-name":{},"f:multicluster.kubernetes.io/source-cluster":{}}},"f:ports":{}}}]},"addressType":"IPv4","ports":[{"name":"http","protocol":"TCP","port":8080}],"endpoints":[@EPS]}}""",
            ("@T", version == 0 ? "ADDED" : "MODIFIED"), ("@I", Text(i)), ("@NS", Text(i / 50)), ("@UID", i.ToString("D12", CultureInfo.InvariantCulture)),
            ("@RV", Text(100_000 + resourceVersion)), ("@G", Text(version + 1)), ("@SS", version.ToString("D2", CultureInfo.InvariantCulture)), ("@EPS", endpoints.ToString()));
    }

    private static byte[] Line(string template, params (string Hole, string Value)[] values) => Encoding.UTF8.GetBytes(Fill(template, values) + "\n");

    // Longer holes first, so "@EPS" is filled before "@E" could eat its prefix.
    private static string Fill(string template, params (string Hole, string Value)[] values)
    {
        var text = template;
        foreach (var (hole, value) in values.OrderByDescending(v => v.Hole.Length))
        {
            text = text.Replace(hole, value, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
