using System.Diagnostics;
using System.Globalization;
using DnsMcs.FakeKubeApi;
using DnsMcs.Sources.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static DnsMcs.Tests.Kubernetes.KubeObjects;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>
/// The figures issue 3 asks for, measured by hand against the in-process fake API server (which shares the
/// process and its cores, so these are upper bounds):
///   DNSMCS_MEASURE=1 dotnet test tests/DnsMcs.Tests -c Release -nodeReuse:false \
///     --filter "FullyQualifiedName~KubernetesSourceMeasurement" --logger "console;verbosity=detailed"
/// 1. initial sync of 10k ServiceImports with 100k endpoints (10k slices of 10): time to a synced index,
///    bytes allocated, managed heap retained (what the watchers, handlers and index keep: the store was filled
///    before the first reading), peak working set (the fake server's store and buffers included, so it says
///    little about the DNS side's RSS; that needs the API server in another process);
/// 2. a burst of 10k EndpointSlice updates: programming latency (API server bytes -> servable answer, the
///    histogram the metrics endpoint keeps) and end-to-end (store write -> servable) p50/p99/max.
/// </summary>
public sealed class KubernetesSourceMeasurement(ITestOutputHelper output)
{
    private const int Services = 10_000;
    private const int EndpointsPerSlice = 10;
    private const int Updates = 10_000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [MeasureFact]
    public async Task Measure_InitialSyncThenUpdateBurst_PrintsFigures()
    {
        await using var cluster = await FakeCluster.StartAsync(new FakeKubeApiOptions { MaxHistory = 50_000 });
        var store = cluster.Server.Store;
        for (var i = 0; i < Services; i++)
        {
            store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport($"svc-{i}", [$"172.{16 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}"]));
            store.Create(FakeResource.EndpointSlices, McsSlice($"svc-{i}-east", $"svc-{i}", "east", Endpoints(i, first: null)));
        }

        var dns = new DnsProbe();
        var writer = new TimingWriter(dns.Index);
        var latency = new LatencyRecorder();
        using var source = new KubernetesSource(new KubernetesSourceOptions { Kubeconfig = cluster.Kubeconfig }, writer, NullLoggerFactory.Instance, latency.Record);

        // 1. Initial sync.
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await source.StartAsync(CancellationToken.None);
        await WaitAsync(() => dns.Index.IsSynced);
        var syncTime = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Assert.Single(dns.Addresses(DnsProbe.Name($"svc-{Services - 1}")));
        Assert.Single(dns.Addresses($"pod-3.east.{DnsProbe.Name($"svc-{Services - 1}")}"));
        Assert.Equal(Services * EndpointsPerSlice, dns.Index.ReadyEndpointCount);
        output.WriteLine($"initial sync: {Services} ServiceImports, {Services} EndpointSlices, {Services * EndpointsPerSlice} endpoints");
        output.WriteLine($"  time to synced index: {syncTime.TotalSeconds:F2} s ({latency.Count} events)");
        output.WriteLine($"  allocated during sync: {Mb(allocated)}; managed heap retained: {Mb(heapAfter - heapBefore)} = {(heapAfter - heapBefore) / (Services * EndpointsPerSlice)} B/endpoint (heap now {Mb(heapAfter)})");
        output.WriteLine($"  peak working set of the process (fake API server and its store included): {Mb(process.PeakWorkingSet64)}; working set now {Mb(process.WorkingSet64)}");
        output.WriteLine($"  GC: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}; total pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms");

        // 2. A burst of updates, as fast as the store takes them; each moves one slice's first endpoint.
        await WaitAsync(() => cluster.Server.ActiveWatches >= 4);
        latency.Clear();
        writer.SlicePutAt.Clear();
        var writtenAt = new Dictionary<string, long>(Updates, StringComparer.Ordinal);
        var burstStarted = Stopwatch.GetTimestamp();
        for (var u = 0; u < Updates; u++)
        {
            var first = $"11.{u >> 8}.{u & 255}.1";
            writtenAt[first] = Stopwatch.GetTimestamp();
            store.Update(FakeResource.EndpointSlices, McsSlice($"svc-{u}-east", $"svc-{u}", "east", Endpoints(u, first)));
        }

        var writeTime = Stopwatch.GetElapsedTime(burstStarted);
        await WaitAsync(() => latency.Count >= Updates && writer.SlicePutAt.Count >= Updates);
        var drainTime = Stopwatch.GetElapsedTime(burstStarted);
        var programming = latency.Samples().Select(s => s.TotalMilliseconds).Order().ToArray();
        var endToEnd = writtenAt.Select(w => Stopwatch.GetElapsedTime(w.Value, writer.SlicePutAt[w.Key]).TotalMilliseconds).Order().ToArray();
        output.WriteLine($"update burst: {Updates} EndpointSlice updates written in {writeTime.TotalSeconds:F2} s, all servable after {drainTime.TotalSeconds:F2} s");
        output.WriteLine($"  programming latency (event bytes -> servable): {Percentiles(programming)}");
        output.WriteLine($"  end to end (store write -> servable):          {Percentiles(endToEnd)}");

        await source.StopAsync(CancellationToken.None);
    }

    private static Endpoint[] Endpoints(int service, string? first)
    {
        var endpoints = new Endpoint[EndpointsPerSlice];
        for (var j = 0; j < EndpointsPerSlice; j++)
        {
            var n = (service * EndpointsPerSlice) + j;
            endpoints[j] = Ep(j == 0 && first is not null ? first : $"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}", $"pod-{j}");
        }

        return endpoints;
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private static string Percentiles(double[] sorted) => string.Create(
        CultureInfo.InvariantCulture,
        $"n={sorted.Length} p50={At(sorted, 0.50):F2} ms p90={At(sorted, 0.90):F2} ms p99={At(sorted, 0.99):F2} ms max={sorted[^1]:F2} ms");

    private static double At(double[] sorted, double quantile) => sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F1} MiB");
}
