using System.Diagnostics;
using DnsMcs.Zone;
using DnsMcs.Zone.Model;

namespace DnsMcs.Benchmarks;

/// <summary>
/// Build-and-load figures, measured once per run rather than by BenchmarkDotNet (one load of 1M endpoints
/// is the measurement): time to index N services from objects already in memory, and the managed heap the
/// index holds afterwards (objects generated first, heap measured with and without the index).
/// </summary>
internal static class IndexLoadMeasurement
{
    public static void Run(int services, int endpointsPerService)
    {
        var generated = SyntheticClusterSet.Generate(services, endpointsPerService).ToList();
        var endpoints = generated.Sum(g => g.Slices.Sum(s => s.Endpoints.Length));
        var heapBefore = Heap();

        var stopwatch = Stopwatch.StartNew();
        var index = new ClusterSetIndex(new ZoneOptions());
        using (index.Batch())
        {
            foreach (var (service, slices) in generated)
            {
                index.PutService(service);
                foreach (var slice in slices)
                {
                    index.PutEndpointSlice(slice);
                }
            }
        }

        stopwatch.Stop();
        var heapWithIndex = Heap();

        // The index keeps the slim objects (writer state) and the precompiled answers; both count.
        var indexBytes = heapWithIndex - heapBefore;
        Console.WriteLine($"services={services:N0} endpoints={endpoints:N0} ready={index.ReadyEndpointCount:N0}");
        Console.WriteLine($"build: {stopwatch.Elapsed.TotalSeconds:F2} s ({stopwatch.Elapsed.TotalMicroseconds / services:F1} us/service)");
        Console.WriteLine($"index heap: {indexBytes / 1048576.0:F0} MiB = {(double)indexBytes / endpoints:F0} B/endpoint, {(double)indexBytes / services:F0} B/service (answers only)");

        // Drop the source objects too: what the process holds when the index is all that is left.
        generated.Clear();
        var heapIndexOnly = Heap();
        Console.WriteLine($"heap with index incl. slim objects: {heapIndexOnly / 1048576.0:F0} MiB = {(double)heapIndexOnly / endpoints:F0} B/endpoint");
        Console.WriteLine($"process working set: {Environment.WorkingSet / 1048576.0:F0} MiB");

        // A change to one service after the load costs O(that service).
        stopwatch.Restart();
        const int updates = 10_000;
        var probe = SyntheticClusterSet.Generate(1, endpointsPerService).Single();
        for (var i = 0; i < updates; i++)
        {
            index.PutEndpointSlice(probe.Slices[i % 2] with { Name = "probe-" + (i % 2) });
        }

        stopwatch.Stop();
        Console.WriteLine($"incremental: {updates:N0} slice updates in {stopwatch.Elapsed.TotalMilliseconds:F0} ms ({stopwatch.Elapsed.TotalMicroseconds / updates:F1} us each)");
        GC.KeepAlive(index);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
