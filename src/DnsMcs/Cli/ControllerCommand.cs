using System.CommandLine;
using System.CommandLine.Parsing;
using DnsMcs.Controller;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Metrics;

namespace DnsMcs.Cli;

/// <summary><c>dnsmcs controller</c>: its options, their checks and defaults, and the hand-over to <see cref="ControllerRunner"/>.</summary>
internal static class ControllerCommand
{
    /// <summary>Where the Lease lives when neither --lease-namespace nor a pod's namespace says.</summary>
    public const string FallbackLeaseNamespace = "dnsmcs-system";

    private static readonly ControllerSettings Defaults = new() { Members = [] };

    /// <summary>The command, its options in the order <c>--help</c> lists them, its checks and its action.</summary>
    /// <param name="run">What the parsed command does; tests pass one that records the settings. Default: <see cref="RunAsync"/>.</param>
    /// <param name="serviceAccountPath">Where the pod's namespace file is looked for; overridable for tests.</param>
    public static Command Create(
        Func<ControllerSettings, HostSettings, CancellationToken, Task<int>>? run = null,
        string serviceAccountPath = InClusterConfiguration.DefaultServiceAccountPath)
    {
        run ??= RunAsync;
        var flags = new Flags();
        var command = new Command("controller", "Run the MCS sync controller: ServiceExports in each member become ServiceImports, derived Services and EndpointSlices in the others.")
            .WithOptions(flags.InHelpOrder);
        command.Validators.Add(result => CheckLeaseMember(result, flags));
        command.SetAction((parseResult, cancellationToken) => run(Settings(parseResult, flags, serviceAccountPath), flags.Host.Read(parseResult), cancellationToken));
        return command;
    }

    /// <summary>--member through --identity, with the defaults for what was not given.</summary>
    private static ControllerSettings Settings(ParseResult parseResult, Flags flags, string serviceAccountPath) => new()
    {
        Members = parseResult.GetRequiredValue(flags.Members),
        ImportPolicy = parseResult.GetValue(flags.ImportPolicy) ?? Defaults.ImportPolicy,
        AutoExportNamespacePrefixes = parseResult.GetValue(flags.AutoExportPrefixes) ?? [],
        StaleClusterTimeout = parseResult.GetValue(flags.StaleClusterTimeout),
        ResyncPeriod = parseResult.GetValue(flags.ResyncPeriod) ?? Defaults.ResyncPeriod,
        Workers = parseResult.GetValue(flags.Workers),
        LeaderElection = new LeaderElectionSettings
        {
            Enabled = parseResult.GetValue(flags.LeaderElect),
            Member = parseResult.GetValue(flags.LeaseMember),
            Namespace = parseResult.GetValue(flags.LeaseNamespace) ?? PodNamespace(serviceAccountPath) ?? FallbackLeaseNamespace,
            LeaseName = parseResult.GetRequiredValue(flags.LeaseName),
            Identity = parseResult.GetValue(flags.Identity),
        },
    };

    /// <summary>--lease-member names one of the --member clusters.</summary>
    private static void CheckLeaseMember(CommandResult result, Flags flags)
    {
        if (CommandOptions.TryGetValue(result, flags.Members, out var given)
            && CommandOptions.TryGetValue(result, flags.LeaseMember, out var holder)
            && holder is { Length: > 0 }
            && given?.Any(member => member.Name == holder) == false)
        {
            result.AddError($"--lease-member {holder} is not one of the --member names.");
        }
    }

    /// <summary>The runner on the <see cref="CommandHost"/>: its reconciles counted under dnsmcs_controller_*, its problems on /ready.</summary>
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

    /// <summary>Every controller option, declared in the order <c>--help</c> lists them.</summary>
    private sealed class Flags
    {
        public Option<MemberSettings[]> Members { get; } = new("--member")
        {
            Description = "A member cluster: its cluster id, its kubeconfig and optionally a context. Repeat once per member. "
                + "NAME= alone is the cluster the controller runs in (its service account).",
            HelpName = "NAME=KUBECONFIG[@CONTEXT]",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = ParseMembers,
        };

        public Option<ImportPolicy?> ImportPolicy { get; } = CommandOptions.Choice(
            "--import-policy",
            "all: import into every member where the namespace exists (the MCS KEP); explicit: only into members where a ServiceImport of that name was created by hand.",
            Defaults.ImportPolicy);

        public Option<string[]> AutoExportPrefixes { get; } = AutoExportPrefixesOption();

        public Option<TimeSpan?> StaleClusterTimeout { get; } = CommandOptions.Duration(
            "--stale-cluster-timeout",
            "Withdraw a member's endpoints from the others once it has been unreachable this long. Default: keep its last known endpoints.",
            TimeSpan.FromSeconds(1));

        public Option<TimeSpan?> ResyncPeriod { get; } = CommandOptions.Duration(
            "--resync-period",
            $"Reconcile every exported service again this often, repairing what a missed event left behind. Default: {CommandOptions.Format(Defaults.ResyncPeriod)}.",
            TimeSpan.FromSeconds(1));

        public Option<int> Workers { get; } = CommandOptions.Count("--workers", "Services reconciled in parallel.", Defaults.Workers, 1, 256);

        public Option<bool> LeaderElect { get; } = new("--leader-elect")
        {
            Description = "Take a coordination.k8s.io Lease so only one replica writes. Default: true; --leader-elect=false when only one runs.",
            DefaultValueFactory = _ => Defaults.LeaderElection.Enabled,
        };

        public Option<string> LeaseMember { get; } = NotEmpty(new("--lease-member")
        {
            Description = "The member holding the Lease. Default: the member given as NAME= (the cluster the controller runs in), else the first.",
            HelpName = "NAME",
        });

        public Option<string> LeaseNamespace { get; } = NotEmpty(new("--lease-namespace")
        {
            Description = $"Namespace of the Lease. Default: the pod's namespace in a cluster, else {FallbackLeaseNamespace}.",
            HelpName = "NAMESPACE",
        });

        public Option<string> LeaseName { get; } = NotEmpty(new("--lease-name")
        {
            Description = "Name of the Lease.",
            HelpName = "NAME",
            DefaultValueFactory = _ => Defaults.LeaderElection.LeaseName,
        });

        public Option<string> Identity { get; } = NotEmpty(new("--identity")
        {
            Description = "This replica's holder identity in the Lease. Default: the host name (the pod's name) and a random suffix.",
            HelpName = "ID",
        });

        public HostFlags Host { get; } = new(metrics: true);

        public IEnumerable<Option> InHelpOrder =>
        [
            Members, ImportPolicy, AutoExportPrefixes, StaleClusterTimeout, ResyncPeriod, Workers,
            LeaderElect, LeaseMember, LeaseNamespace, LeaseName, Identity, .. Host.InHelpOrder,
        ];
    }

    private static Option<string[]> AutoExportPrefixesOption()
    {
        var prefixes = new Option<string[]>("--auto-export-namespace-prefix")
        {
            Description = "Export every Service in namespaces whose name starts with this prefix, without a ServiceExport. Repeat for several. "
                + "A Service annotated kosmos.io/auto-create-mcs: \"true\" is exported wherever it is.",
            HelpName = "PREFIX",
        };
        prefixes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string[]>()?.Any(string.IsNullOrWhiteSpace) == true)
            {
                result.AddError("--auto-export-namespace-prefix must not be empty.");
            }
        });
        return prefixes;
    }

    private static Option<string> NotEmpty(Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError($"{result.Option.Name} must not be empty.");
            }
        });
        return option;
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
