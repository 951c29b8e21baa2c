using System.Runtime.InteropServices;
using DnsMcs.Configuration;
using DnsMcs.Explain;
using DnsMcs.Http;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Metrics;
using DnsMcs.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Cli;

/// <summary>
/// The one host every long-running command (<c>serve</c>, <c>controller</c>, <c>probe</c>) runs on: the Generic Host with
///   1. console logging, text or JSON (<see cref="ConsoleLogging"/>);
///   2. /metrics, /health and /ready as a hosted service, started after the services added before it and stopped with them;
///   3. SIGTERM and Ctrl-C as a graceful stop (the console lifetime), all services stopping together within 25 s;
///   4. exit codes: 0 stopped, 2 a port that cannot be bound (its listener says which in one line), 1 a kubeconfig or
///      setting refused (one line, "Cannot start: ...") or any other failure.
/// <c>explain</c> loads once and exits, so it needs none of this: it starts serve's sources itself, with the same logging.
/// </summary>
internal static class CommandHost
{
    public const int ExitFailed = 1;
    public const int ExitBindFailed = 2;

    // Long enough for lameduck and for connections to finish the queries they have read; short of Kubernetes' 30 s grace period.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    /// <summary>Steps 1 and 3: the builder a command adds its services to.</summary>
    public static HostApplicationBuilder CreateBuilder(LogFormat logFormat)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ApplicationName = "dnsmcs",
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConsoleLogging.Configure(builder.Logging, logFormat);
        builder.Services.Configure<HostOptions>(options =>
        {
            options.ShutdownTimeout = ShutdownTimeout;
            options.ServicesStopConcurrently = true;
        });
        return builder;
    }

    /// <summary>
    /// Step 2: /metrics (from <paramref name="collector"/>), /health, /ready (from <paramref name="readiness"/>) and serve's
    /// /debug/explain, unless all three listeners are off. Whatever is added before them starts before them.
    /// </summary>
    public static void AddOperations(
        IServiceCollection services,
        OperationsOptions options,
        MetricsCollector? collector,
        Func<IServiceProvider, IReadinessProvider> readiness,
        Func<IServiceProvider, ExplainEndpoint>? explain = null)
    {
        if (options.Metrics is not null || options.Health is not null || options.Ready is not null)
        {
            services.AddHostedService(provider => new OperationsServer(
                options with { Explain = explain?.Invoke(provider) }, collector, readiness(provider), provider.GetRequiredService<ILoggerFactory>()));
        }
    }

    /// <summary>Steps 3 and 4: runs the built host until it stops, and says how it ended.</summary>
    public static async Task<int> RunAsync(IHost host, string command, CancellationToken cancellationToken)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DnsMcs");

        // The console lifetime stops the host on these signals; this only says so, in the command's own log.
        void OnSignal(PosixSignalContext context) => CliLog.Stopping(logger, context.Signal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            CliLog.Stopped(logger);
            return 0;
        }
        catch (ListenerBindException)
        {
            // The DNS or HTTP listener already said which endpoint and why.
            return ExitBindFailed;
        }
        catch (Exception e) when (e is KubeConfigException or ArgumentException)
        {
            // A kubeconfig that cannot be read or a setting the command refuses: the message names the file and the problem.
            CliLog.CannotStart(logger, e.Message);
            return ExitFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CliLog.Stopped(logger);
            return 0;
        }
        catch (Exception e)
        {
            CliLog.Failed(logger, command, e);
            return ExitFailed;
        }
    }

    /// <summary>
    /// <c>controller</c> and <c>probe</c>: one long-running runner (<see cref="RunnerService"/>) behind /metrics, /health
    /// and /ready, whose /ready is 200 while the runner runs and reports no <paramref name="problems"/>.
    /// </summary>
    public static async Task<int> RunRunnerAsync(
        string command,
        HostSettings settings,
        Action<ILogger> announce,
        Func<ILoggerFactory, CancellationToken, Task> run,
        CancellationToken cancellationToken,
        DnsMcsMetrics? metrics = null,
        Func<IReadOnlyList<string>>? problems = null)
    {
        var builder = CreateBuilder(settings.LogFormat);
        var readiness = new RunnerReadiness(problems);
        using var processMetrics = new ProcessMetrics();
        using var collector = settings.Metrics is not null && metrics is not null ? new MetricsCollector([metrics.Meter, processMetrics.Meter]) : null;

        // The HTTP endpoints first: a port that cannot be bound stops the command before its runner starts.
        AddOperations(builder.Services, new OperationsOptions { Health = settings.Health, Ready = settings.Ready, Metrics = collector is null ? null : settings.Metrics }, collector, _ => readiness);
        builder.Services.AddHostedService(provider => new RunnerService(
            token => run(provider.GetRequiredService<ILoggerFactory>(), token), readiness, provider.GetRequiredService<IHostApplicationLifetime>()));

        using var host = builder.Build();
        announce(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DnsMcs"));
        return await RunAsync(host, command, cancellationToken).ConfigureAwait(false);
    }
}
