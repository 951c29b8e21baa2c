using System.Runtime.InteropServices;
using DnsMcs.Configuration;
using DnsMcs.Http;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Metrics;
using DnsMcs.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DnsMcs.Cli;

/// <summary>
/// What <c>dnsmcs controller</c> and <c>dnsmcs probe</c> share around their runner: console logging, optional /health
/// and /ready, SIGTERM and Ctrl-C as a graceful stop (exit 0), configuration errors as one clear line and exit 1, a port
/// that cannot be bound as one line and exit 2.
/// They need no Generic Host: each is one long-running task.
/// </summary>
internal static class CommandHost
{
    public const int ExitFailed = 1;
    public const int ExitBindFailed = 2;

    public static async Task<int> RunAsync(
        string command,
        HostSettings host,
        Action<ILogger> announce,
        Func<ILoggerFactory, CancellationToken, Task> run,
        CancellationToken cancellationToken,
        DnsMcsMetrics? metrics = null,
        Func<IReadOnlyList<string>>? problems = null)
    {
        using var loggerFactory = CreateLoggerFactory(host.LogFormat);
        var logger = loggerFactory.CreateLogger("DnsMcs");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Program.cs turned System.CommandLine's signal handling off (serve's Generic Host owns it), so we take the
        // signals here; cancelling the context keeps the runtime from terminating before the runner has returned.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!stop.IsCancellationRequested)
            {
                CommandLog.Stopping(logger, context.Signal);
                stop.Cancel();
            }
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        var readiness = new RunnerReadiness(problems);
        using var processMetrics = new ProcessMetrics();
        using var collector = host.Metrics is not null && metrics is not null ? new MetricsCollector([metrics.Meter, processMetrics.Meter]) : null;
        await using var operations = new OperationsServer(
            new OperationsOptions { Health = host.Health, Ready = host.Ready, Metrics = collector is null ? null : host.Metrics }, collector, readiness, loggerFactory);
        try
        {
            await operations.StartAsync(stop.Token).ConfigureAwait(false);
        }
        catch (ListenerBindException)
        {
            // --health, --ready or --metrics could not be bound; OperationsServer said which and why. Exit 2, as serve does.
            return ExitBindFailed;
        }

        try
        {
            announce(logger);
            var running = run(loggerFactory, stop.Token);
            readiness.Running = !running.IsCompleted;
            await running.ConfigureAwait(false);
            CommandLog.Stopped(logger);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            CommandLog.Stopped(logger);
            return 0;
        }
        catch (Exception e) when (e is KubeConfigException or ArgumentException)
        {
            // A kubeconfig that cannot be read or a setting the runner refuses: the message says it all.
            CommandLog.CannotStart(logger, e.Message);
            return ExitFailed;
        }
        catch (Exception e)
        {
            CommandLog.Failed(logger, command, e);
            return ExitFailed;
        }
        finally
        {
            readiness.Running = false;
            await operations.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static ILoggerFactory CreateLoggerFactory(LogFormat format) =>
        LoggerFactory.Create(logging => ConsoleLogging.Configure(logging, format));
}
