using System.Diagnostics.Metrics;

namespace DnsMcs.Metrics;

/// <summary>
/// The <c>process_*</c> series every Prometheus client library exports (and CoreDNS with it), under the same names
/// and help, so process dashboards and alerts work unchanged. Read at scrape time; a scrape reads /proc once.
/// With them, how much of the resident memory is the managed heap and how often it is collected: two of the
/// <c>dotnet_*</c> series prometheus-net exports (same names and help) and the heap's size after the last collection.
/// </summary>
internal sealed class ProcessMetrics : IDisposable
{
    public const string MeterName = "DnsMcs.Process";

    private readonly Lock _lock = new();
    private ProcessStats _stats;
    private long? _readAt;

    public ProcessMetrics()
    {
        Meter = new Meter(MeterName);
        Meter.CreateObservableCounter("process_cpu_seconds_total", () => Current().CpuSeconds, null, "Total user and system CPU time spent in seconds.");
        Meter.CreateObservableGauge("process_resident_memory_bytes", () => Current().ResidentBytes, null, "Resident memory size in bytes.");
        Meter.CreateObservableGauge("process_virtual_memory_bytes", () => Current().VirtualBytes, null, "Virtual memory size in bytes.");
        Meter.CreateObservableGauge("process_start_time_seconds", () => Current().StartTimeSeconds, null, "Start time of the process since unix epoch in seconds.");
        Meter.CreateObservableGauge("process_open_fds", () => Optional(Current().OpenFds), null, "Number of open file descriptors.");
        Meter.CreateObservableGauge("process_max_fds", () => Optional(Current().MaxFds), null, "Maximum number of open file descriptors.");
        Meter.CreateObservableGauge("dotnet_total_memory_bytes", () => GC.GetTotalMemory(forceFullCollection: false), null, "Total known allocated memory");
        Meter.CreateObservableGauge("dotnet_gc_heap_size_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, null, "The managed heap's size after the last garbage collection, fragmentation included.");
        Meter.CreateObservableCounter("dotnet_collection_count_total", Collections, null, "GC collection count");
    }

    public Meter Meter { get; }

    public void Dispose() => Meter.Dispose();

    private static IEnumerable<Measurement<long>> Collections()
    {
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            yield return new Measurement<long>(GC.CollectionCount(generation), new KeyValuePair<string, object?>("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static IEnumerable<Measurement<long>> Optional(long? value) => value is { } known ? [new Measurement<long>(known)] : [];

    // The six callbacks of one scrape run back to back: one read serves them all.
    private ProcessStats Current()
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (_readAt is not { } readAt || now - readAt > 100)
            {
                _stats = ProcessStats.Read();
                _readAt = now;
            }

            return _stats;
        }
    }
}
