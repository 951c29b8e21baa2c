using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;

namespace DnsMcs.FakeApiServer;

/// <summary>
/// dotnet run -c Release --project benchmarks/DnsMcs.FakeApiServer -- --dnsmcs PATH [--services N] [--endpoints-per-service M]
///     [--updates K] [--settle SECONDS] [--env NAME=VALUE]...
/// 1. starts the fake API server in this process and seeds N ServiceImports with M endpoints each (two slices);
/// 2. starts `dnsmcs serve --kubeconfig` against it as a child process and times start → /ready;
/// 3. after SECONDS of quiet, reads the child's VmRSS/VmHWM and its process_resident_memory_bytes;
/// 4. makes K sequential EndpointSlice updates through the fake's store (each returns once the write is committed:
///    the API server's acknowledgement) and times each until the child's DNS answer shows the new address;
/// 5. prints one line of key=value figures (watch-scale.sh collects them into a table).
/// The API server's memory is this process's, so none of it is counted in the child's figures.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { BookmarkInterval = TimeSpan.FromSeconds(30) });
        var seeding = Stopwatch.StartNew();
        ClusterSetSeed.Seed(server.Store, options.Services, options.EndpointsPerService);
        Console.Error.WriteLine($"seeded {options.Services:N0} services, {options.Services * options.EndpointsPerService:N0} endpoints in {seeding.Elapsed.TotalSeconds:F1} s");

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"dnsmcs-watch-scale-{Environment.ProcessId}.yaml");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
        try
        {
            return await MeasureAsync(server, kubeconfig, options);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static async Task<int> MeasureAsync(FakeKubeApiServer server, string kubeconfig, Options options)
    {
        var starting = Stopwatch.StartNew();
        await using var serve = ServeProcess.Start(options.Dnsmcs, kubeconfig, options.Environment);
        if (!await serve.WaitReadyAsync(TimeSpan.FromMinutes(15)))
        {
            Console.Error.WriteLine("dnsmcs serve never became ready");
            return 1;
        }

        var ready = starting.Elapsed;

        // dnsmcs's own CPU to get there: at scale the wall time is mostly the API server's, serializing the lists.
        var readyCpu = await serve.MetricAsync("process_cpu_seconds_total");
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
        var (rss, peak) = serve.ProcStatus();
        var metricRss = await serve.MetricAsync("process_resident_memory_bytes");
        var heap = await serve.MetricAsync("dotnet_gc_heap_size_bytes");

        using var poller = new DnsPoller(serve.DnsEndpoint);
        if (options.Services > 0 && !poller.WaitFor($"svc-0.ns-0.svc.clusterset.local.", IPAddress.Parse("10.96.0.0"), TimeSpan.FromSeconds(5)))
        {
            Console.Error.WriteLine("svc-0 does not answer its VIP: the load did not reach the answers");
            return 1;
        }

        var collectionsBefore = await CollectionsAsync(serve);
        var programmedBefore = await ProgrammedAsync(serve);
        var latencies = Updates(server, poller, options);
        var collectionsAfter = await CollectionsAsync(serve);
        var programmedAfter = await ProgrammedAsync(serve);
        var (rssAfter, peakAfter) = serve.ProcStatus();
        var endpoints = (long)options.Services * options.EndpointsPerService;
        var figures = new List<string>
        {
            $"services={options.Services}",
            $"endpoints={endpoints}",
            $"ready_s={ready.TotalSeconds:F1}",
            $"ready_cpu_s={(readyCpu is { } c ? c.ToString("F1", CultureInfo.InvariantCulture) : "-")}",
            $"rss_mib={Mib(rss):F1}",
            $"metric_rss_mib={(metricRss is { } m ? Mib((long)m).ToString("F1", CultureInfo.InvariantCulture) : "-")}",
            $"gc_heap_mib={(heap is { } h ? Mib((long)h).ToString("F1", CultureInfo.InvariantCulture) : "-")}",
            $"hwm_mib={Mib(peak):F1}",
            $"rss_after_updates_mib={Mib(rssAfter):F1}",
            $"hwm_after_updates_mib={Mib(peakAfter):F1}",
        };
        if (latencies.Count > 0)
        {
            latencies.Sort();
            figures.Add($"updates={latencies.Count}");
            figures.Add($"update_p50_ms={Percentile(latencies, 0.50):F2}");
            figures.Add($"update_p99_ms={Percentile(latencies, 0.99):F2}");
            figures.Add($"update_max_ms={latencies[^1]:F2}");
            figures.Add($"programmed_within_ms={string.Join('/', programmedAfter.Zip(programmedBefore, (a, b) => a - b))}");
            figures.Add($"gcs_during_updates={string.Join('/', collectionsAfter.Zip(collectionsBefore, (a, b) => a - b))}");
        }

        Console.WriteLine(string.Join(' ', figures));
        return 0;
    }

    /// <summary>Moves endpoint 0 of a headless service's first slice, one update at a time; the service's A answer must follow.</summary>
    private static List<double> Updates(FakeKubeApiServer server, DnsPoller poller, Options options)
    {
        var latencies = new List<double>(options.Updates);
        var headless = options.Services / 5;
        for (var k = 0; k < options.Updates && headless > 0; k++)
        {
            var service = (5 * ((k * 7919) % headless)) + 4; // spread over the headless services
            var patch = new JsonObject { ["endpoints"] = ClusterSetSeed.Endpoints(service, 0, options.EndpointsPerService, moved: k) };
            server.Store.Patch(FakeResource.EndpointSlices, ClusterSetSeed.Namespace(service), ClusterSetSeed.SliceName(service, 0), patch);
            var acknowledged = Stopwatch.GetTimestamp();
            var name = $"{ClusterSetSeed.ServiceName(service)}.{ClusterSetSeed.Namespace(service)}.svc.clusterset.local.";
            if (!poller.WaitFor(name, IPAddress.Parse(ClusterSetSeed.MovedAddress(k)), TimeSpan.FromSeconds(10)))
            {
                Console.Error.WriteLine($"update {k} of {name} never reached the answer");
                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
            Thread.Sleep(10); // sequential, independent updates: the next starts from a quiet server
        }

        return latencies;
    }

    /// <summary>
    /// How many events dnsmcs has programmed so far within 0.25, 0.5, 1, 2.5, 5 and 10 ms of their bytes arriving
    /// (dnsmcs_programming_duration_seconds): its own share of the update latency, without the API server's or the poll's.
    /// </summary>
    private static async Task<long[]> ProgrammedAsync(ServeProcess serve)
    {
        string[] bounds = ["0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01"];
        var counts = new long[bounds.Length];
        for (var i = 0; i < bounds.Length; i++)
        {
            counts[i] = (long)(await serve.MetricAsync($"dnsmcs_programming_duration_seconds_bucket{{le=\"{bounds[i]}\"}}") ?? -1);
        }

        return counts;
    }

    /// <summary>dnsmcs's garbage collections so far, generations 0, 1 and 2 (dotnet_collection_count_total).</summary>
    private static async Task<long[]> CollectionsAsync(ServeProcess serve)
    {
        var counts = new long[3];
        for (var generation = 0; generation < counts.Length; generation++)
        {
            counts[generation] = (long)(await serve.MetricAsync($"dotnet_collection_count_total{{generation=\"{generation}\"}}") ?? -1);
        }

        return counts;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static double Mib(long bytes) => bytes / 1048576.0;

    private sealed record Options(string Dnsmcs, int Services, int EndpointsPerService, int Updates, int SettleSeconds, List<string> Environment)
    {
        public static Options Parse(string[] args)
        {
            string? dnsmcs = null;
            int services = 10_000, perService = 10, updates = 200, settle = 5;
            var environment = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--dnsmcs": dnsmcs = value; break;
                    case "--services": services = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--endpoints-per-service": perService = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--updates": updates = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--settle": settle = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--env": environment.Add(value.Contains('=', StringComparison.Ordinal) ? value : throw new ArgumentException("--env takes NAME=VALUE")); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }

                i++;
            }

            if (perService is < 1 or > 32)
            {
                throw new ArgumentException("--endpoints-per-service must be 1-32 (two slices of at most 16 addresses each)");
            }

            return new Options(dnsmcs ?? throw new ArgumentException("--dnsmcs PATH (dnsmcs.dll or the dnsmcs executable) is required"), services, perService, updates, settle, environment);
        }
    }
}
