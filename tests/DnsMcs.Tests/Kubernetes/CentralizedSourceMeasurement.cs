using System.Diagnostics;
using System.Globalization;
using DnsMcs.Controller;
using DnsMcs.FakeKubeApi;
using DnsMcs.Sources.Centralized;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static DnsMcs.Tests.Kubernetes.KubeObjects;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>
/// Centralized mode's initial sync, by hand (two in-process fake members share the process and its cores):
///   DNSMCS_MEASURE=1 dotnet test tests/DnsMcs.Tests -c Release -nodeReuse:false \
///     --filter "FullyQualifiedName~CentralizedSourceMeasurement" --logger "console;verbosity=detailed"
/// Each of two members has 5k Services, their slices of 10 endpoints and a ServiceExport for each, so the
/// index holds 5k merged services with two ClusterIPs each and 100k endpoints.
/// </summary>
public sealed class CentralizedSourceMeasurement(ITestOutputHelper output)
{
    private const int Services = 5_000;
    private const int EndpointsPerSlice = 10;

    [MeasureFact]
    public async Task Measure_InitialSyncOfTwoMembers_PrintsFigures()
    {
        await using var east = await FakeCluster.StartAsync(new FakeKubeApiOptions { MaxHistory = 1_000 });
        await using var west = await FakeCluster.StartAsync(new FakeKubeApiOptions { MaxHistory = 1_000 });
        Populate(east.Server.Store, 0);
        Populate(west.Server.Store, 1);

        var dns = new DnsProbe();
        var options = new CentralizedSourceOptions
        {
            Members = [new MemberSettings("east", east.Kubeconfig, null), new MemberSettings("west", west.Kubeconfig, null)],
        };
        using var source = new CentralizedSource(options, dns.Index, NullLoggerFactory.Instance);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await source.StartAsync(CancellationToken.None);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            while (!dns.Index.IsSynced)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        var syncTime = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Assert.Equal(2, dns.Addresses(DnsProbe.Name($"svc-{Services - 1}")).Length);
        Assert.Equal(2 * Services * EndpointsPerSlice, dns.Index.ReadyEndpointCount);
        output.WriteLine($"centralized initial sync: 2 members x {Services} exported Services, {2 * Services * EndpointsPerSlice} endpoints");
        output.WriteLine($"  time to synced index: {syncTime.TotalSeconds:F2} s");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated during sync: {allocated / 1048576.0:F1} MiB; managed heap retained: {(heapAfter - heapBefore) / 1048576.0:F1} MiB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak working set of the process (both fake members included): {process.PeakWorkingSet64 / 1048576.0:F1} MiB"));
        await source.StopAsync(CancellationToken.None);
    }

    private static void Populate(FakeObjectStore store, int member)
    {
        for (var i = 0; i < Services; i++)
        {
            store.Create(FakeResource.Services, Service($"svc-{i}", [$"10.{96 + member}.{i >> 8}.{i & 255}"]));
            var endpoints = new Endpoint[EndpointsPerSlice];
            for (var j = 0; j < EndpointsPerSlice; j++)
            {
                var n = (i * EndpointsPerSlice) + j;
                endpoints[j] = Ep($"10.{(member * 2) + 1 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}", $"pod-{j}");
            }

            store.Create(FakeResource.EndpointSlices, ServiceSlice($"svc-{i}-abcde", $"svc-{i}", endpoints));
            store.Create(FakeResource.ServiceExportsV1Alpha1, ServiceExport($"svc-{i}"));
        }
    }
}
