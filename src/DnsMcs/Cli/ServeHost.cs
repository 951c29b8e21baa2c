using DnsMcs.Configuration;
using DnsMcs.Explain;
using DnsMcs.Metrics;
using DnsMcs.Server;
using DnsMcs.Sources;
using DnsMcs.Sources.Centralized;
using DnsMcs.Sources.Kubernetes;
using DnsMcs.Zone;
using DnsMcs.Zone.Explain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Cli;

/// <summary>
/// Composes <c>dnsmcs serve</c> on the <see cref="CommandHost"/>, in start order:
///   1. logging (text or JSON), metrics (CoreDNS's names plus dnsmcs_*), the index and responder;
///   2. the sources (manifests, one cluster, or every member), which register with the index first so
///      negative answers are SERVFAIL until each has listed once;
///   3. the UDP/TCP listeners; 4. /metrics, /health, /ready.
/// Services stop together, so /health and UDP share one lameduck period.
/// </summary>
internal static class ServeHost
{
    public static async Task<int> RunAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        var config = settings.Config;
        var builder = CommandHost.CreateBuilder(config.LogFormat);
        ConfigureLogging(builder.Logging, config);
        var rejections = new RejectionRecorder();
        RejectionRecorder.AddTo(builder.Logging, rejections);

        using var dnsMetrics = new DnsMetrics(DnsMetrics.ServerLabel(settings.Server.Listen.Count > 0 ? settings.Server.Listen[0].Port : 53), config.Zone);
        using var ownMetrics = new DnsMcsMetrics();
        builder.Services.AddSingleton(dnsMetrics);
        builder.Services.AddSingleton(ownMetrics);
        var index = new ClusterSetIndex(config.ToZoneOptions());
        ownMetrics.SetIndexCounts(() => new IndexCounts(index.ServiceCount, index.ReadyEndpointCount, index.ClusterCount));
        ownMetrics.SetIndexRejections(index.RejectedCount);
        builder.Services.AddSingleton(index);
        builder.Services.AddSingleton<IClusterSetWriter>(index);
        builder.Services.AddSingleton(services => new DnsResponder(services.GetRequiredService<ClusterSetIndex>()));
        builder.Services.AddSingleton<IPacketResponder, ZonePacketResponder>();

        // Sources start before the listeners, so a first load that finishes in StartAsync is served from the first query.
        var centralized = AddSources(builder.Services, config, settings.MemberSyncTimeout, ownMetrics);
        if (config.Sources.Count > 0)
        {
            builder.Services.AddHostedService<SyncedHeapCompaction>();
        }

        builder.Services.AddSingleton(settings.Server);
        builder.Services.AddSingleton(services => new DnsServer(
            settings.Server,
            services.GetRequiredService<IPacketResponder>(),
            services.GetRequiredService<ILogger<DnsServer>>(),
            config.Metrics is null ? null : dnsMetrics,
            config.LogQueries ? services.GetRequiredService<ILoggerFactory>().CreateLogger("DnsMcs.Query") : null));
        builder.Services.AddHostedService(services => services.GetRequiredService<DnsServer>());

        var operations = config.ToOperationsOptions();
        using var processMetrics = new ProcessMetrics();
        using var collector = operations.Metrics is null ? null : new MetricsCollector([dnsMetrics.Meter, ownMetrics.Meter, processMetrics.Meter]);
        if (collector is not null)
        {
            dnsMetrics.AttachCollector(collector);
        }

        CommandHost.AddOperations(
            builder.Services,
            operations,
            collector,
            services => new ServeReadiness(index, services.GetRequiredService<DnsServer>(), centralized is null ? null : services.GetRequiredService<CentralizedSource>()),
            config.Debug ? services => Explainer(services, index, rejections, centralized is not null) : null);

        if (config.ConfigFile is { } file && config.ReloadInterval is { } interval)
        {
            builder.Services.AddHostedService(services => new ConfigReloadService(
                file, interval, config.ReloadJitter, config, index, services.GetRequiredService<ILogger<ConfigReloadService>>()));
        }

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DnsMcs");
        IndexRejectionLog.Attach(index, host.Services.GetRequiredService<ILoggerFactory>());
        // Text, not the list: the JSON formatter would write the list's type name.
        var nameServers = string.Join(", ", config.NameServerAddresses);
        CliLog.Serving(logger, config.Zone, config.Ttl, nameServers);
        foreach (var description in config.Sources.Select(Describe))
        {
            CliLog.Source(logger, description);
        }

        if (config.Sources.Count == 0)
        {
            CliLog.NoSource(logger);
        }

        return await CommandHost.RunAsync(host, "serve", cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(SourceConfiguration source) => source.Kind switch
    {
        SourceKind.Manifests => $"manifests in {source.Path}",
        SourceKind.Kubernetes => source.Path is null
            ? "one cluster (distributed mode) through the in-cluster service account or KUBECONFIG"
            : $"one cluster (distributed mode) through kubeconfig {source.Path}" + (source.Context is null ? string.Empty : $", context {source.Context}"),
        _ => $"member {source.Name} (centralized mode) through kubeconfig {source.Path}" + (source.Context is null ? string.Empty : $", context {source.Context}"),
    };

    /// <summary>Adds a hosted service per source; returns the centralized source's configuration when members are given.</summary>
    internal static CentralizedSourceOptions? AddSources(IServiceCollection services, ServeConfiguration config, TimeSpan memberSyncTimeout, DnsMcsMetrics metrics)
    {
        foreach (var source in config.Sources.Where(s => s.Kind == SourceKind.Manifests))
        {
            services.AddHostedService(provider => new ManifestSource(
                new ManifestSourceOptions { Directory = source.Path! },
                provider.GetRequiredService<IClusterSetWriter>(),
                provider.GetRequiredService<ILogger<ManifestSource>>(),
                metrics.ForSource(source.Name)));
        }

        foreach (var source in config.Sources.Where(s => s.Kind == SourceKind.Kubernetes))
        {
            services.AddHostedService(provider => new KubernetesSource(
                new KubernetesSourceOptions { Kubeconfig = source.Path, Context = source.Context },
                provider.GetRequiredService<IClusterSetWriter>(),
                provider.GetRequiredService<ILoggerFactory>(),
                metrics.RecordProgramming,
                source.Name,
                metrics.ForSource(source.Name)));
        }

        var members = config.Sources.Where(s => s.Kind == SourceKind.Member).ToList();
        if (members.Count == 0)
        {
            return null;
        }

        var options = new CentralizedSourceOptions
        {
            Members = [.. members.Select(m => new DnsMcs.Controller.MemberSettings(m.Name, m.Path, m.Context))],
            MemberSyncTimeout = memberSyncTimeout,
        };
        services.AddSingleton(provider => new CentralizedSource(
            options,
            provider.GetRequiredService<IClusterSetWriter>(),
            provider.GetRequiredService<ILoggerFactory>(),
            metrics.RecordProgramming));
        services.AddHostedService(provider => provider.GetRequiredService<CentralizedSource>());
        return options;
    }

    /// <summary>/debug/explain: the running index and responder, what the sources refused, and the members' Services in centralized mode.</summary>
    private static ExplainEndpoint Explainer(IServiceProvider services, ClusterSetIndex index, RejectionRecorder rejections, bool centralized) =>
        new(new NameExplainer(index, rejections, centralized ? services.GetRequiredService<CentralizedSource>().View : null));

    private static void ConfigureLogging(ILoggingBuilder logging, ServeConfiguration config)
    {
        ConsoleLogging.Configure(logging, config.LogFormat);

        // CoreDNS's errors directive: without it, failures of sources and watches are not logged.
        if (!config.LogErrors)
        {
            logging.AddFilter("DnsMcs.Sources", LogLevel.None);
            logging.AddFilter("DnsMcs.Kubernetes", LogLevel.None);
        }
    }
}
