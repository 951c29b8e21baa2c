using System.CommandLine;
using System.CommandLine.Parsing;
using DnsMcs.Configuration;
using DnsMcs.Controller;
using DnsMcs.Metrics;
using DnsMcs.Kubernetes.Configuration;

namespace DnsMcs.Cli;

/// <summary><c>dnsmcs controller</c>: its options, their checks and defaults, and the hand-over to <see cref="ControllerRunner"/>.</summary>
internal static class ControllerCommand
{
    /// <summary>Where the Lease lives when neither --lease-namespace nor a pod's namespace says.</summary>
    public const string FallbackLeaseNamespace = "dnsmcs-system";

    /// <param name="run">What the parsed command does; tests pass one that records the settings. Default: <see cref="RunAsync"/>.</param>
    /// <param name="serviceAccountPath">Where the pod's namespace file is looked for; overridable for tests.</param>
    public static Command Create(
        Func<ControllerSettings, HostSettings, CancellationToken, Task<int>>? run = null,
        string serviceAccountPath = InClusterConfiguration.DefaultServiceAccountPath)
    {
        run ??= RunAsync;
        var defaults = new ControllerSettings { Members = [] };
        var members = new Option<MemberSettings[]>("--member")
        {
            Description = "A member cluster: its cluster id, its kubeconfig and optionally a context. Repeat once per member. "
                + "NAME= alone is the cluster the controller runs in (its service account).",
            HelpName = "NAME=KUBECONFIG[@CONTEXT]",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = ParseMembers,
        };
        var importPolicy = CommandOptions.Choice(
            "--import-policy",
            "all: import into every member where the namespace exists (the MCS KEP); explicit: only into members where a ServiceImport of that name was created by hand.",
            defaults.ImportPolicy);
        var autoExportPrefixes = new Option<string[]>("--auto-export-namespace-prefix")
        {
            Description = "Export every Service in namespaces whose name starts with this prefix, without a ServiceExport. Repeat for several. "
                + "A Service annotated kosmos.io/auto-create-mcs: \"true\" is exported wherever it is.",
            HelpName = "PREFIX",
        };
        autoExportPrefixes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string[]>()?.Any(string.IsNullOrWhiteSpace) == true)
            {
                result.AddError("--auto-export-namespace-prefix must not be empty.");
            }
        });
        var staleClusterTimeout = CommandOptions.Duration(
            "--stale-cluster-timeout",
            "Withdraw a member's endpoints from the others once it has been unreachable this long. Default: keep its last known endpoints.",
            TimeSpan.FromSeconds(1));
        var resyncPeriod = CommandOptions.Duration(
            "--resync-period",
            $"Reconcile every exported service again this often, repairing what a missed event left behind. Default: {CommandOptions.Format(defaults.ResyncPeriod)}.",
            TimeSpan.FromSeconds(1));
        var workers = CommandOptions.Count("--workers", "Services reconciled in parallel.", defaults.Workers, 1, 256);
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Take a coordination.k8s.io Lease so only one replica writes. Default: true; --leader-elect=false when only one runs.",
            DefaultValueFactory = _ => defaults.LeaderElection.Enabled,
        };
        var leaseMember = new Option<string>("--lease-member")
        {
            Description = "The member holding the Lease. Default: the member given as NAME= (the cluster the controller runs in), else the first.",
            HelpName = "NAME",
        };
        var leaseNamespace = new Option<string>("--lease-namespace")
        {
            Description = $"Namespace of the Lease. Default: the pod's namespace in a cluster, else {FallbackLeaseNamespace}.",
            HelpName = "NAMESPACE",
        };
        var leaseName = new Option<string>("--lease-name")
        {
            Description = "Name of the Lease.",
            HelpName = "NAME",
            DefaultValueFactory = _ => defaults.LeaderElection.LeaseName,
        };
        var identity = new Option<string>("--identity")
        {
            Description = "This replica's holder identity in the Lease. Default: the host name (the pod's name) and a random suffix.",
            HelpName = "ID",
        };
        foreach (var name in new[] { leaseNamespace, leaseName, identity, leaseMember })
        {
            name.Validators.Add(result =>
            {
                if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
                {
                    result.AddError($"{result.Option.Name} must not be empty.");
                }
            });
        }

        var logFormat = CommandOptions.LogFormat();
        var health = CommandOptions.HttpEndpoint("--health", "Serve /health (200 while the process runs)", 8080);
        var ready = CommandOptions.HttpEndpoint("--ready", "Serve /ready (200 once running, 503 when starting or stopping)", 8181);
        var metrics = CommandOptions.HttpEndpoint("--metrics", "Serve Prometheus metrics (dnsmcs_controller_*) at /metrics", 9153);

        var command = new Command("controller", "Run the MCS sync controller: ServiceExports in each member become ServiceImports, derived Services and EndpointSlices in the others.")
        {
            members, importPolicy, autoExportPrefixes, staleClusterTimeout, resyncPeriod, workers,
            leaderElect, leaseMember, leaseNamespace, leaseName, identity, logFormat, health, ready, metrics,
        };
        command.Validators.Add(result =>
        {
            if (CommandOptions.TryGetValue(result, members, out var given)
                && CommandOptions.TryGetValue(result, leaseMember, out var holder)
                && holder is { Length: > 0 }
                && given?.Any(member => member.Name == holder) == false)
            {
                result.AddError($"--lease-member {holder} is not one of the --member names.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new ControllerSettings
            {
                Members = parseResult.GetRequiredValue(members),
                ImportPolicy = parseResult.GetValue(importPolicy) ?? defaults.ImportPolicy,
                AutoExportNamespacePrefixes = parseResult.GetValue(autoExportPrefixes) ?? [],
                StaleClusterTimeout = parseResult.GetValue(staleClusterTimeout),
                ResyncPeriod = parseResult.GetValue(resyncPeriod) ?? defaults.ResyncPeriod,
                Workers = parseResult.GetValue(workers),
                LeaderElection = new LeaderElectionSettings
                {
                    Enabled = parseResult.GetValue(leaderElect),
                    Member = parseResult.GetValue(leaseMember),
                    Namespace = parseResult.GetValue(leaseNamespace) ?? PodNamespace(serviceAccountPath) ?? FallbackLeaseNamespace,
                    LeaseName = parseResult.GetRequiredValue(leaseName),
                    Identity = parseResult.GetValue(identity),
                },
            };
            var host = new HostSettings(parseResult.GetValue(logFormat) ?? LogFormat.Text, parseResult.GetValue(health).Endpoint, parseResult.GetValue(ready).Endpoint, parseResult.GetValue(metrics).Endpoint);
            return run(settings, host, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ControllerSettings settings, HostSettings host, CancellationToken cancellationToken)
    {
        using var metrics = new DnsMcsMetrics();
        var problems = new ControllerProblems();
        settings = settings with { Observer = new ControllerMetricsObserver(metrics, "serviceexport"), Problems = problems };
        var described = string.Join(", ", settings.Members.Select(Describe));
        var policy = settings.ImportPolicy.ToString().ToLowerInvariant();
        var election = settings.LeaderElection.Enabled ? $"on (Lease {settings.LeaderElection.Namespace}/{settings.LeaderElection.LeaseName})" : "off";
        return await CommandHost.RunRunnerAsync(
            "controller",
            host,
            logger => CliLog.ControllerStarting(logger, described, policy, election),
            (loggerFactory, token) => ControllerRunner.RunAsync(settings, loggerFactory, token),
            cancellationToken,
            metrics,
            () => problems.Current).ConfigureAwait(false);
    }

    /// <summary>The namespace the pod runs in, from its service account; null outside a cluster.</summary>
    internal static string? PodNamespace(string serviceAccountPath)
    {
        var path = Path.Combine(serviceAccountPath, "namespace");
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } ns ? ns : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static MemberSettings[] ParseMembers(ArgumentResult result)
    {
        var parsed = new List<MemberSettings>(result.Tokens.Count);
        foreach (var token in result.Tokens)
        {
            MemberSettings member;
            try
            {
                member = MemberSettings.Parse(token.Value);
            }
            catch (FormatException e)
            {
                result.AddError($"--member {e.Message}.");
                continue;
            }

            if (!ClusterIds.IsValid(member.Name, out var why))
            {
                result.AddError($"--member {token.Value}: cluster id '{member.Name}' {why}.");
            }
            else if (parsed.Any(other => other.Name == member.Name))
            {
                result.AddError($"--member {member.Name} is given twice; cluster ids must be distinct.");
            }
            else if (member.Context is not null && string.IsNullOrEmpty(member.Kubeconfig))
            {
                result.AddError($"--member {token.Value}: a context needs a kubeconfig before the '@'.");
            }

            parsed.Add(member);
        }

        return [.. parsed];
    }

    private static string Describe(MemberSettings member) =>
        member.Kubeconfig is null ? $"{member.Name} (in-cluster)"
        : member.Context is null ? $"{member.Name} ({member.Kubeconfig})"
        : $"{member.Name} ({member.Kubeconfig}, context {member.Context})";
}
