using System.CommandLine;
using System.Net;
using DnsMcs.Configuration;
using DnsMcs.Dns;
using DnsMcs.Explain;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Metrics;
using DnsMcs.Sources;
using DnsMcs.Sources.Centralized;
using DnsMcs.Zone;
using DnsMcs.Zone.Explain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Cli;

/// <summary>
/// <c>dnsmcs explain NAME [TYPE]</c>: why a name answers what it answers.
///   1. the sources named by serve's own flags (or a Corefile) are built by serve's own code and loaded once:
///      a folder is read, clusters are listed, and we wait for every source's first list (at most --timeout);
///   2. the question goes through serve's responder (<see cref="NameExplainer"/>): same rcode, same records;
///   3. the answer is printed with each record's objects and rule, or the reason it is negative.
/// Exit codes: 0 answered (whatever the rcode), 1 usage, 2 the sources could not be read.
/// </summary>
internal static class ExplainCommand
{
    public const int ExitAnswered = 0;
    public const int ExitUsage = 1;
    public const int ExitSourcesUnreadable = 2;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SyncPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>The command, its arguments and options in the order <c>--help</c> lists them, and its action.</summary>
    public static Command Create()
    {
        var flags = new Flags(new SourceFlags(watched: false));
        var command = new Command("explain", "Explain why a name answers what it answers: the objects behind each record, the rule applied, or why the answer is negative.")
        {
            flags.Name, flags.Type,
        }.WithOptions(flags.InHelpOrder);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, flags, cancellationToken));
        return command;
    }

    /// <summary>The file (or the defaults), the flags given on top of it, then the question.</summary>
    private static Task<int> RunAsync(ParseResult parseResult, Flags flags, CancellationToken cancellationToken)
    {
        if (flags.Sources.Read(parseResult, flags.Config) is not { } settings)
        {
            return Task.FromResult(ExitUsage);
        }

        if (settings.Sources.Count == 0)
        {
            Console.Error.WriteLine("explain needs a source: --manifests DIR, --kubeconfig PATH [--context NAME], --member NAME=KUBECONFIG or --config FILE");
            return Task.FromResult(ExitUsage);
        }

        settings = NameServerAddressDefaults.ApplyTo(settings, parseResult.GetValue(flags.NameServerAddresses));

        // The argument's validator has refused a type that does not parse; the check is kept for the compiler's flow.
        if (!NameExplainer.TryParseType(parseResult.GetValue(flags.Type), out var recordType, out var typeError))
        {
            Console.Error.WriteLine(typeError);
            return Task.FromResult(ExitUsage);
        }

        var question = new Question(parseResult.GetRequiredValue(flags.Name), recordType, parseResult.GetValue(flags.Output) == "json");
        return RunAsync(settings, question, parseResult.GetValue(flags.Timeout) ?? DefaultTimeout, Console.Out, Console.Error, cancellationToken);
    }

    /// <summary>The arguments and every explain option, declared in the order <c>--help</c> lists them.</summary>
    private sealed class Flags(SourceFlags sources)
    {
        public Argument<string> Name { get; } = NameArgument();

        public Argument<string> Type { get; } = TypeArgument();

        public Option<FileInfo> Config { get; } = CommandOptions.ConfigFile(
            "Read the zone and the sources from this Corefile-syntax file, as serve does; flags given as well override it.");

        public SourceFlags Sources { get; } = sources;

        public Option<IPAddress[]> NameServerAddresses { get; } = CommandOptions.Addresses(
            "--ns-address", "What ns.dns.<zone> answers, as serve's --ns-address (default: the Corefile's ns_address, else this host's addresses).");

        public Option<string> Output { get; } = OutputOption();

        public Option<TimeSpan?> Timeout { get; } = CommandOptions.Duration(
            "--timeout",
            $"How long to wait for every source's first list before giving up with exit code 2. Default: {CommandOptions.Format(DefaultTimeout)}.",
            TimeSpan.FromMilliseconds(100));

        public IEnumerable<Option> InHelpOrder =>
        [
            Config, Sources.Zone, Sources.Source, Sources.Manifests, Sources.Kubeconfig, Sources.Context, Sources.Member, NameServerAddresses, Output, Timeout,
        ];
    }

    private static Argument<string> NameArgument()
    {
        var name = new Argument<string>("NAME") { Description = "The name to explain, e.g. db.data.svc.clusterset.local." };
        name.Validators.Add(result =>
        {
            if (!NameExplainer.TryCheckName(result.GetValueOrDefault<string>(), out var error))
            {
                result.AddError(error!);
            }
        });
        return name;
    }

    private static Argument<string> TypeArgument()
    {
        var type = new Argument<string>("TYPE")
        {
            Description = "The record type asked for: A (default), AAAA, SRV, SOA, NS, TXT, ANY or TYPEnnn.",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "A",
        };
        type.Validators.Add(result =>
        {
            if (!NameExplainer.TryParseType(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError(error!);
            }
        });
        return type;
    }

    private static Option<string> OutputOption()
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "text (default) or json: one object with rcode, answer (each record with rule and from), reason and notes.",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "json");
        return output;
    }

    /// <summary>Loads the sources once, explains the question, prints it to <paramref name="stdout"/>; problems go to <paramref name="stderr"/>.</summary>
    internal static async Task<int> RunAsync(ServeConfiguration settings, Question question, TimeSpan timeout, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var index = new ClusterSetIndex(settings.ToZoneOptions());
        var rejections = new RejectionRecorder();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            // Warnings and errors while loading (an invalid manifest, an API server that does not answer) go to stderr;
            // stdout holds the explanation alone, so --output json can be piped.
            ConsoleLogging.Configure(logging, settings.LogFormat);
            logging.SetMinimumLevel(LogLevel.Warning);
            RejectionRecorder.AddTo(logging, rejections);
        });
        services.AddSingleton(index);
        services.AddSingleton<IClusterSetWriter>(index);
        using var metrics = new DnsMcsMetrics();

        // Serve's own source wiring; 0 = wait for every member, since the wait is ours (--timeout).
        var centralized = ServeHost.AddSources(services, settings, TimeSpan.Zero, metrics);
        await using var provider = services.BuildServiceProvider();
        var sources = provider.GetServices<IHostedService>().ToList();
        var started = new List<IHostedService>();
        try
        {
            // 1. Load once: read the folder, list the clusters, wait for the first list of each.
            foreach (var source in sources)
            {
                await source.StartAsync(cancellationToken).ConfigureAwait(false);
                started.Add(source);
            }

            if (!await WaitForSyncAsync(index, timeout, cancellationToken).ConfigureAwait(false))
            {
                var members = centralized is null
                    ? string.Empty
                    : "; " + string.Join("; ", provider.GetRequiredService<CentralizedSource>().Members.Where(m => !m.Synced || !m.Connected));
                var last = rejections.LastFailure is { } failure ? $"; last error: {failure}" : string.Empty;
                await stderr.WriteLineAsync($"sources unreadable: not synced within {CommandOptions.Format(timeout)}: {string.Join(", ", index.PendingSources())}{members}{last}").ConfigureAwait(false);
                return ExitSourcesUnreadable;
            }
        }
        catch (Exception e) when (e is DirectoryNotFoundException or KubeConfigException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"sources unreadable: {e.Message}").ConfigureAwait(false);
            return ExitSourcesUnreadable;
        }
        finally
        {
            foreach (var source in started)
            {
                await StopQuietlyAsync(source).ConfigureAwait(false);
            }
        }

        // 2 and 3. The responder's answer, explained.
        var origins = centralized is null ? null : provider.GetRequiredService<CentralizedSource>().View;
        var explanation = new NameExplainer(index, rejections, origins).Explain(question.Name, question.Type);
        await stdout.WriteAsync(question.Json ? ExplanationJson.Write(explanation) + Environment.NewLine : ExplanationText.Write(explanation)).ConfigureAwait(false);
        return ExitAnswered;
    }

    private static async Task<bool> WaitForSyncAsync(ClusterSetIndex index, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!index.IsSynced)
        {
            if (TimeProvider.System.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(SyncPoll, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static async Task StopQuietlyAsync(IHostedService source)
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await source.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException or InvalidOperationException)
        {
            // Stopping a watch that failed or hangs changes nothing about the answer already read.
        }
    }

    /// <summary>What is asked: the name, the type, and whether to print JSON.</summary>
    internal sealed record Question(string Name, DnsRecordType Type, bool Json);
}
