using System.CommandLine;
using DnsMcs.Configuration;
using DnsMcs.Controller;

namespace DnsMcs.Cli;

/// <summary><c>dnsmcs probe</c>: its options, their checks and defaults, and the hand-over to <see cref="ProbeRunner"/>.</summary>
internal static class ProbeCommand
{
    /// <param name="run">What the parsed command does; tests pass one that records the settings. Default: <see cref="RunAsync"/>.</param>
    public static Command Create(Func<ProbeSettings, HostSettings, CancellationToken, Task<int>>? run = null)
    {
        run ??= RunAsync;
        var defaults = new ProbeSettings();
        var kubeconfig = new Option<string>("--kubeconfig")
        {
            Description = "Kubeconfig of the member the prober runs in. Default: the pod's service account in a cluster, else KUBECONFIG or ~/.kube/config.",
            HelpName = "FILE",
        };
        var context = new Option<string>("--context")
        {
            Description = "Context of the kubeconfig to use. Default: its current-context.",
            HelpName = "NAME",
        };
        var cluster = new Option<string>("--cluster")
        {
            Description = "This member's cluster id: endpoints whose source-cluster is this one are local and not probed.",
            HelpName = "ID",
        };
        cluster.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } id && !ClusterIds.IsValid(id, out var why))
            {
                result.AddError($"--cluster '{id}' {why}.");
            }
        });
        var ns = new Option<string>("--namespace", "-n")
        {
            Description = "Probe only the ServiceImports of this namespace. Default: all namespaces.",
            HelpName = "NAMESPACE",
        };
        var interval = CommandOptions.Duration(
            "--interval",
            $"Probe every remote endpoint this often. Default: {CommandOptions.Format(defaults.Interval)}.",
            TimeSpan.FromMilliseconds(100));
        var timeout = CommandOptions.Duration(
            "--timeout",
            $"A TCP connect slower than this fails. Default: {CommandOptions.Format(defaults.Timeout)}.",
            TimeSpan.FromMilliseconds(10));
        var failureThreshold = CommandOptions.Count(
            "--failure-threshold",
            "Consecutive failed probes before an address is written into kosmos.io/disconnected-address.",
            defaults.FailureThreshold,
            1,
            1000);
        var successThreshold = CommandOptions.Count(
            "--success-threshold",
            "Consecutive successful probes before a disconnected address is taken back.",
            defaults.SuccessThreshold,
            1,
            1000);
        var concurrency = CommandOptions.Count("--concurrency", "Probes in flight at once.", defaults.Concurrency, 1, 10_000);
        var logFormat = CommandOptions.LogFormat();
        var health = CommandOptions.HttpEndpoint("--health", "Serve /health (200 while the process runs)", 8080);
        var ready = CommandOptions.HttpEndpoint("--ready", "Serve /ready (200 once running, 503 when starting or stopping)", 8181);

        var command = new Command("probe", "Probe the remote endpoints of this member's imported services (TCP connect) and mark the unreachable ones in their ServiceImport (kosmos.io/disconnected-address).")
        {
            kubeconfig, context, cluster, ns, interval, timeout, failureThreshold, successThreshold, concurrency, logFormat, health, ready,
        };
        command.Validators.Add(result =>
        {
            if (CommandOptions.TryGetValue(result, timeout, out var given)
                && CommandOptions.TryGetValue(result, interval, out var every)
                && (given ?? defaults.Timeout) >= (every ?? defaults.Interval))
            {
                result.AddError("--timeout must be shorter than --interval.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new ProbeSettings
            {
                Kubeconfig = parseResult.GetValue(kubeconfig),
                Context = parseResult.GetValue(context),
                LocalCluster = parseResult.GetValue(cluster),
                Namespace = parseResult.GetValue(ns),
                Interval = parseResult.GetValue(interval) ?? defaults.Interval,
                Timeout = parseResult.GetValue(timeout) ?? defaults.Timeout,
                FailureThreshold = parseResult.GetValue(failureThreshold),
                SuccessThreshold = parseResult.GetValue(successThreshold),
                Concurrency = parseResult.GetValue(concurrency),
            };
            var host = new HostSettings(parseResult.GetValue(logFormat) ?? LogFormat.Text, parseResult.GetValue(health).Endpoint, parseResult.GetValue(ready).Endpoint);
            return run(settings, host, cancellationToken);
        });
        return command;
    }

    private static Task<int> RunAsync(ProbeSettings settings, HostSettings host, CancellationToken cancellationToken) =>
        CommandHost.RunRunnerAsync(
            "probe",
            host,
            logger => CliLog.ProbeStarting(
                logger,
                settings.Kubeconfig ?? "in-cluster or default kubeconfig",
                settings.LocalCluster ?? "(not set)",
                settings.Interval,
                settings.Timeout,
                settings.FailureThreshold),
            (loggerFactory, token) => ProbeRunner.RunAsync(settings, loggerFactory, token),
            cancellationToken);
}
