using System.CommandLine;
using DnsMcs.Configuration;
using DnsMcs.Sources.Centralized;
using DnsMcs.Zone;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Cli;

/// <summary>
/// The flags that say where services come from, and the zone they are served in: shared by <c>serve</c> and
/// <c>explain</c>, so both read the same clusterset from the same words.
/// </summary>
internal sealed class SourceFlags
{
    public SourceFlags(bool watched)
    {
        Zone = new Option<string>("--zone", "-z")
        {
            Description = "The zone answered authoritatively; everything else is REFUSED.",
            HelpName = "NAME",
            DefaultValueFactory = _ => ZoneOptions.DefaultZone,
        };
        Zone.Validators.Add(result =>
        {
            if (!NameRules.TryNormalizeZone(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError($"--zone: {error}");
            }
        });
        Manifests = new Option<DirectoryInfo>("--manifests", "-m")
        {
            Description = "Folder of ServiceImport, EndpointSlice, Namespace and ClusterProperty manifests (*.yaml, *.yml, *.json)"
                + (watched ? ", watched for changes. Without any source the zone holds only its own SOA, NS and dns-version records." : "."),
            HelpName = "DIR",
        };
        Manifests.AcceptExistingOnly();
        Source = new Option<string>("--source")
        {
            Description = "Where services come from: 'manifests' (--manifests DIR) or 'kubernetes' (one cluster via --kubeconfig/--context "
                + "or the in-cluster service account; every member cluster with --member). Default: inferred from those flags.",
            HelpName = "KIND",
        };
        Source.AcceptOnlyFromAmong("manifests", "kubernetes");
        Kubeconfig = new Option<string>("--kubeconfig")
        {
            Description = "Distributed mode: the kubeconfig of the cluster whose ServiceImports and EndpointSlices are served "
                + "(default: KUBECONFIG, ~/.kube/config, else the in-cluster service account).",
            HelpName = "PATH",
        };
        Context = new Option<string>("--context")
        {
            Description = "The kubeconfig context to use (default: its current-context).",
            HelpName = "NAME",
        };
        Member = new Option<string[]>("--member")
        {
            Description = "Centralized mode: a member cluster, its id and kubeconfig; repeat for each member. Its ServiceExports, Services "
                + "and EndpointSlices are merged into the clusterset (oldest export wins conflicts).",
            HelpName = "NAME=KUBECONFIG[@CONTEXT]",
        };
        Member.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    CentralizedSourceOptions.ParseMember(token.Value);
                }
                catch (FormatException e)
                {
                    result.AddError($"--member {e.Message}");
                }
            }
        });
    }

    public Option<string> Zone { get; }

    public Option<DirectoryInfo> Manifests { get; }

    public Option<string> Source { get; }

    public Option<string> Kubeconfig { get; }

    public Option<string> Context { get; }

    public Option<string[]> Member { get; }

    /// <summary>
    /// What serve and explain start from: the Corefile <paramref name="config"/> names (or the defaults for flags alone), then
    /// --zone and the source flags given on top of it. Null, after saying why on stderr, when the file does not parse or
    /// the source flags contradict each other.
    /// </summary>
    public ServeConfiguration? Read(ParseResult parseResult, Option<FileInfo> config)
    {
        ServeConfiguration settings;
        try
        {
            settings = parseResult.GetValue(config) is { } file ? CorefileParser.ParseFile(file.FullName) : ServeConfiguration.CommandLineDefaults;
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }

        if (parseResult.GetResult(Zone) is { Implicit: false })
        {
            NameRules.TryNormalizeZone(parseResult.GetRequiredValue(Zone), out var zone, out _);
            settings = settings with { Zone = zone };
        }

        if (!new Option[] { Source, Manifests, Kubeconfig, Context, Member }.Any(option => parseResult.GetResult(option) is { Implicit: false }))
        {
            return settings;
        }

        var sources = Sources(
            parseResult.GetValue(Source), parseResult.GetValue(Manifests), parseResult.GetValue(Kubeconfig), parseResult.GetValue(Context), parseResult.GetValue(Member) ?? [], out var error);
        if (error is not null)
        {
            Console.Error.WriteLine(error);
            return null;
        }

        return settings with { Sources = sources };
    }

    /// <summary>
    /// The sources the flags name. Without --source: every kind whose flags are given. Distributed (--kubeconfig)
    /// and centralized (--member) modes exclude each other, as in the Corefile.
    /// </summary>
    public static IReadOnlyList<SourceConfiguration> Sources(string? kind, DirectoryInfo? manifests, string? kubeconfig, string? context, string[] members, out string? error)
    {
        error = null;
        var sources = new List<SourceConfiguration>();
        if (members.Length > 0 && (kubeconfig is not null || context is not null))
        {
            error = "--member (centralized mode) and --kubeconfig/--context (distributed mode) cannot be combined";
            return sources;
        }

        if (kind == "manifests" && manifests is null)
        {
            error = "--source manifests needs --manifests DIR";
            return sources;
        }

        if (kind == "manifests" && (members.Length > 0 || kubeconfig is not null || context is not null))
        {
            error = "--source manifests takes no --kubeconfig, --context or --member";
            return sources;
        }

        if (kind == "kubernetes" && manifests is not null)
        {
            error = "--source kubernetes takes no --manifests (leave --source out to serve both)";
            return sources;
        }

        if (manifests is not null && kind != "kubernetes")
        {
            sources.Add(new SourceConfiguration(SourceKind.Manifests, SourceConfiguration.ManifestsName, manifests.ToString()));
        }

        if (kind != "manifests")
        {
            if (members.Length > 0)
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var spec in members)
                {
                    var parsed = CentralizedSourceOptions.ParseMember(spec);
                    if (!names.Add(parsed.Name))
                    {
                        error = $"--member {parsed.Name} is given twice";
                        return sources;
                    }

                    sources.Add(new SourceConfiguration(SourceKind.Member, parsed.Name, Path.GetFullPath(parsed.Kubeconfig!), parsed.Context));
                }
            }
            else if (kind == "kubernetes" || kubeconfig is not null || context is not null)
            {
                sources.Add(new SourceConfiguration(SourceKind.Kubernetes, SourceConfiguration.KubernetesName, kubeconfig is null ? null : Path.GetFullPath(kubeconfig), context));
            }
        }

        return sources;
    }
}
