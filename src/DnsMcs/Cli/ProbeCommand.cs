using System.CommandLine;
using System.CommandLine.Parsing;
using DnsMcs.Controller;

namespace DnsMcs.Cli;

/// <summary><c>dnsmcs probe</c>: its options, their checks and defaults, and the hand-over to <see cref="ProbeRunner"/>.</summary>
internal static class ProbeCommand
{
    private static readonly ProbeSettings Defaults = new();

    /// <summary>The command, its options in the order <c>--help</c> lists them, its checks and its action.</summary>
    /// <param name="run">What the parsed command does; tests pass one that records the settings. Default: <see cref="RunAsync"/>.</param>
    public static Command Create(Func<ProbeSettings, HostSettings, CancellationToken, Task<int>>? run = null)
    {
        run ??= RunAsync;
        var flags = new Flags();
        var command = new Command("probe", "Probe the remote endpoints of this member's imported services (TCP connect) and mark the unreachable ones in their ServiceImport (kosmos.io/disconnected-address).")
            .WithOptions(flags.InHelpOrder);
        command.Validators.Add(result => CheckTimeoutWithinInterval(result, flags));
        command.SetAction((parseResult, cancellationToken) => run(Settings(parseResult, flags), flags.Host.Read(parseResult), cancellationToken));
        return command;
    }

    /// <summary>--kubeconfig through --concurrency, with the defaults for what was not given.</summary>
    private static ProbeSettings Settings(ParseResult parseResult, Flags flags) => new()
    {
        Kubeconfig = parseResult.GetValue(flags.Kubeconfig),
        Context = parseResult.GetValue(flags.Context),
        LocalCluster = parseResult.GetValue(flags.Cluster),
        Namespace = parseResult.GetValue(flags.Namespace),
        Interval = parseResult.GetValue(flags.Interval) ?? Defaults.Interval,
        Timeout = parseResult.GetValue(flags.Timeout) ?? Defaults.Timeout,
        FailureThreshold = parseResult.GetValue(flags.FailureThreshold),
        SuccessThreshold = parseResult.GetValue(flags.SuccessThreshold),
        Concurrency = parseResult.GetValue(flags.Concurrency),
    };

    /// <summary>A probe must give up before the next one is due.</summary>
    private static void CheckTimeoutWithinInterval(CommandResult result, Flags flags)
    {
        if (CommandOptions.TryGetValue(result, flags.Timeout, out var timeout)
            && CommandOptions.TryGetValue(result, flags.Interval, out var interval)
            && (timeout ?? Defaults.Timeout) >= (interval ?? Defaults.Interval))
        {
            result.AddError("--timeout must be shorter than --interval.");
        }
    }

    /// <summary>The runner on the <see cref="CommandHost"/>.</summary>
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

    /// <summary>Every probe option, declared in the order <c>--help</c> lists them.</summary>
    private sealed class Flags
    {
        public Option<string> Kubeconfig { get; } = new("--kubeconfig")
        {
            Description = "Kubeconfig of the member the prober runs in. Default: the pod's service account in a cluster, else KUBECONFIG or ~/.kube/config.",
            HelpName = "FILE",
        };

        public Option<string> Context { get; } = new("--context")
        {
            Description = "Context of the kubeconfig to use. Default: its current-context.",
            HelpName = "NAME",
        };

        public Option<string> Cluster { get; } = ClusterOption();

        public Option<string> Namespace { get; } = new("--namespace", "-n")
        {
            Description = "Probe only the ServiceImports of this namespace. Default: all namespaces.",
            HelpName = "NAMESPACE",
        };

        public Option<TimeSpan?> Interval { get; } = CommandOptions.Duration(
            "--interval", $"Probe every remote endpoint this often. Default: {CommandOptions.Format(Defaults.Interval)}.", TimeSpan.FromMilliseconds(100));

        public Option<TimeSpan?> Timeout { get; } = CommandOptions.Duration(
            "--timeout", $"A TCP connect slower than this fails. Default: {CommandOptions.Format(Defaults.Timeout)}.", TimeSpan.FromMilliseconds(10));

        public Option<int> FailureThreshold { get; } = CommandOptions.Count(
            "--failure-threshold", "Consecutive failed probes before an address is written into kosmos.io/disconnected-address.", Defaults.FailureThreshold, 1, 1000);

        public Option<int> SuccessThreshold { get; } = CommandOptions.Count(
            "--success-threshold", "Consecutive successful probes before a disconnected address is taken back.", Defaults.SuccessThreshold, 1, 1000);

        public Option<int> Concurrency { get; } = CommandOptions.Count("--concurrency", "Probes in flight at once.", Defaults.Concurrency, 1, 10_000);

        public HostFlags Host { get; } = new(metrics: false);

        public IEnumerable<Option> InHelpOrder =>
        [
            Kubeconfig, Context, Cluster, Namespace, Interval, Timeout, FailureThreshold, SuccessThreshold, Concurrency, .. Host.InHelpOrder,
        ];
    }

    private static Option<string> ClusterOption()
    {
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
        return cluster;
    }
}
