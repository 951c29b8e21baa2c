using DnsMcs.Server;
using DnsMcs.Sources;
using DnsMcs.Zone;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DnsMcs.Cli;

/// <summary>
/// Composes <c>dnsmcs serve</c> on the Generic Host: console logging, the index and responder, the sources, the
/// listeners. The host's console lifetime turns SIGTERM and Ctrl-C into a graceful stop and exit code 0.
/// </summary>
internal static class ServeHost
{
    public const int ExitBindFailed = 2;
    public const int ExitFailed = 1;

    // Long enough for connections to finish the queries they have read; short of Kubernetes' 30 s grace period.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ApplicationName = "dnsmcs",
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);

        builder.Services.AddSingleton(settings.Zone);
        builder.Services.AddSingleton(_ => new ClusterSetIndex(settings.Zone));
        builder.Services.AddSingleton<IClusterSetWriter>(services => services.GetRequiredService<ClusterSetIndex>());
        builder.Services.AddSingleton(services => new DnsResponder(services.GetRequiredService<ClusterSetIndex>()));
        builder.Services.AddSingleton<IPacketResponder, ZonePacketResponder>();

        // Sources start before the listeners, so a first load that finishes in StartAsync is served from the first query.
        AddSources(builder.Services, settings);

        builder.Services.AddSingleton(settings.Server);
        builder.Services.AddHostedService<DnsServer>();

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DnsMcs");
        CliLog.Serving(logger, settings.Zone.Zone, settings.Zone.Ttl, settings.Zone.NameServerAddresses);
        if (settings.Manifests is { } manifests)
        {
            CliLog.ManifestSource(logger, manifests.FullName);
        }
        else
        {
            CliLog.NoSource(logger);
        }

        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            CliLog.Stopped(logger);
            return 0;
        }
        catch (ListenerBindException)
        {
            // DnsServer already said which endpoint and why.
            return ExitBindFailed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CliLog.Failed(logger, e);
            return ExitFailed;
        }
    }

    private static void AddSources(IServiceCollection services, ServeSettings settings)
    {
        if (settings.Manifests is { } manifests)
        {
            services.AddSingleton(new ManifestSourceOptions { Directory = manifests.FullName });
            services.AddHostedService<ManifestSource>();
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.UseUtcTimestamp = true;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Warning);

        // The host's own lines (content root, environment) say nothing an operator of dnsmcs needs; its
        // failures are reported by us with the reason.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }
}
