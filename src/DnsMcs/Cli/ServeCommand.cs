using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Configuration;
using DnsMcs.Server;
using DnsMcs.Sources.Centralized;
using DnsMcs.Zone;

namespace DnsMcs.Cli;

/// <summary><c>dnsmcs serve</c>: its options, their checks and defaults, and the hand-over to <see cref="ServeHost"/>.</summary>
internal static class ServeCommand
{
    private static readonly IPEndPoint[] DefaultListen = [new(IPAddress.Any, 53), new(IPAddress.IPv6Any, 53)];

    /// <summary>The command, its options in the order <c>--help</c> lists them, and its action.</summary>
    public static Command Create()
    {
        var flags = new Flags(new SourceFlags(watched: true));
        var command = new Command("serve", "Answer DNS for the clusterset zone over UDP and TCP.")
            .WithOptions(flags.InHelpOrder);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, flags, cancellationToken));
        return command;
    }

    /// <summary>The file (or the defaults for flags alone), then every flag given on top of it, then the host.</summary>
    private static Task<int> RunAsync(ParseResult parseResult, Flags flags, CancellationToken cancellationToken)
    {
        if (flags.Sources.Read(parseResult, flags.Config) is not { } settings)
        {
            return Task.FromResult(CommandHost.ExitFailed);
        }

        settings = ApplyDns(parseResult, flags, settings);
        settings = NameServerAddressDefaults.ApplyTo(settings, parseResult.GetValue(flags.NameServerAddresses));
        settings = ApplyOperations(parseResult, flags, settings);
        settings = ApplyLogging(parseResult, flags, settings);
        settings = ApplyTcp(parseResult, flags, settings);
        return ServeHost.RunAsync(new ServeSettings(settings, TimeSpan.FromSeconds(parseResult.GetValue(flags.MemberSyncTimeout))), cancellationToken);
    }

    private static bool Given(ParseResult parseResult, Option option) => parseResult.GetResult(option) is { Implicit: false };

    /// <summary>--listen, --ttl (--zone is read with the sources).</summary>
    private static ServeConfiguration ApplyDns(ParseResult parseResult, Flags flags, ServeConfiguration settings)
    {
        if (Given(parseResult, flags.Listen))
        {
            settings = settings with { Listen = parseResult.GetRequiredValue(flags.Listen) };
        }
        else if (settings.ConfigFile is null && !Socket.OSSupportsIPv6)
        {
            // The default pair must work on an IPv4-only host; an explicit [::] still fails loudly.
            settings = settings with { Listen = [.. settings.Listen.Where(endpoint => endpoint.AddressFamily != AddressFamily.InterNetworkV6)] };
        }

        if (Given(parseResult, flags.Ttl))
        {
            settings = settings with { Ttl = (uint)parseResult.GetValue(flags.Ttl) };
        }

        return settings;
    }

    /// <summary>--metrics, --health, --ready, --lameduck.</summary>
    private static ServeConfiguration ApplyOperations(ParseResult parseResult, Flags flags, ServeConfiguration settings)
    {
        if (Given(parseResult, flags.Metrics))
        {
            settings = settings with { Metrics = parseResult.GetValue(flags.Metrics).Endpoint };
        }

        if (Given(parseResult, flags.Health))
        {
            settings = settings with { Health = parseResult.GetValue(flags.Health).Endpoint };
        }

        if (Given(parseResult, flags.Ready))
        {
            settings = settings with { Ready = parseResult.GetValue(flags.Ready).Endpoint };
        }

        if (parseResult.GetValue(flags.Lameduck) is { } lameduck)
        {
            settings = settings with { Lameduck = lameduck };
        }

        return settings;
    }

    /// <summary>--log-format, --log-queries, --no-errors, --debug.</summary>
    private static ServeConfiguration ApplyLogging(ParseResult parseResult, Flags flags, ServeConfiguration settings)
    {
        if (parseResult.GetValue(flags.LogFormat) is { } format)
        {
            settings = settings with { LogFormat = format };
        }

        if (parseResult.GetValue(flags.LogQueries))
        {
            settings = settings with { LogQueries = true };
        }

        if (parseResult.GetValue(flags.NoErrors))
        {
            settings = settings with { LogErrors = false };
        }

        if (parseResult.GetValue(flags.Debug))
        {
            settings = settings with { Debug = true };
        }

        return settings;
    }

    /// <summary>--tcp-idle-timeout, --tcp-max-connections.</summary>
    private static ServeConfiguration ApplyTcp(ParseResult parseResult, Flags flags, ServeConfiguration settings)
    {
        if (Given(parseResult, flags.TcpIdleTimeout))
        {
            settings = settings with { TcpIdleTimeout = TimeSpan.FromSeconds(parseResult.GetValue(flags.TcpIdleTimeout)) };
        }

        if (Given(parseResult, flags.TcpMaxConnections))
        {
            settings = settings with { MaxTcpConnections = parseResult.GetValue(flags.TcpMaxConnections) };
        }

        return settings;
    }

    /// <summary>Every serve option, declared in the order <c>--help</c> lists them.</summary>
    private sealed class Flags(SourceFlags sources)
    {
        public SourceFlags Sources { get; } = sources;

        public Option<FileInfo> Config { get; } = CommandOptions.ConfigFile(
            "Read settings from this Corefile-syntax file (see docs/configuration.md); flags given as well override it.");

        public Option<IPEndPoint[]> Listen { get; } = ListenOption();

        public Option<int> Ttl { get; } = CommandOptions.Count(
            "--ttl", "TTL in seconds of every answer; the SOA's is at most 300.", defaultValue: (int)ZoneOptions.DefaultTtl, min: 0, max: (int)ZoneOptions.MaxTtl, helpName: "SECONDS");

        public Option<int> MemberSyncTimeout { get; } = CommandOptions.Count(
            "--member-sync-timeout", "Seconds to wait for a member's first list before serving without it (0: wait for ever); it fills in when it answers.",
            (int)CentralizedSourceOptions.DefaultMemberSyncTimeout.TotalSeconds, min: 0, max: 86400, helpName: "SECONDS");

        public Option<IPAddress[]> NameServerAddresses { get; } = CommandOptions.Addresses(
            "--ns-address",
            "Address answered for ns.dns.<zone>; repeat for several. Default: the --listen addresses that are not "
                + "wildcards, else this host's first address of each family listened on.");

        public Option<CommandOptions.HttpFlag> Metrics { get; } = HttpOption("--metrics", "Serve Prometheus metrics at /metrics", ServeConfiguration.DefaultMetricsPort);

        public Option<CommandOptions.HttpFlag> Health { get; } = HttpOption("--health", "Serve /health (200 while the process runs)", ServeConfiguration.DefaultHealthPort);

        public Option<CommandOptions.HttpFlag> Ready { get; } = HttpOption("--ready", "Serve /ready (200 once listening and every source has synced)", ServeConfiguration.DefaultReadyPort);

        public Option<TimeSpan?> Lameduck { get; } = CommandOptions.Duration(
            "--lameduck", "On shutdown, keep answering UDP and /health this long (e.g. 5s) while the pod leaves its Service.", TimeSpan.Zero);

        public Option<LogFormat?> LogFormat { get; } = CommandOptions.LogFormat();

        public Option<bool> LogQueries { get; } = new("--log-queries")
        {
            Description = "Log one line per query in CoreDNS's log format (costs more than the query; off by default).",
        };

        public Option<bool> NoErrors { get; } = new("--no-errors")
        {
            Description = "Do not log source and watch failures (CoreDNS without the errors directive).",
        };

        public Option<bool> Debug { get; } = new("--debug")
        {
            Description = "Serve /debug/explain?name=NAME&type=TYPE on the metrics listener: why a name answers what it answers (as dnsmcs explain).",
        };

        public Option<int> TcpIdleTimeout { get; } = CommandOptions.Count(
            "--tcp-idle-timeout", "Seconds a TCP connection may stay open without a query (RFC 7766).",
            (int)ServerOptions.DefaultTcpIdleTimeout.TotalSeconds, min: (int)ServerOptions.MinTcpIdleTimeout.TotalSeconds, max: (int)ServerOptions.MaxTcpIdleTimeout.TotalSeconds, helpName: "SECONDS");

        public Option<int> TcpMaxConnections { get; } = CommandOptions.Count(
            "--tcp-max-connections", "Open TCP connections allowed; connections over the cap are closed at once.",
            ServerOptions.DefaultMaxTcpConnections, min: 1, max: ServerOptions.MaxTcpConnectionsLimit);

        public IEnumerable<Option> InHelpOrder =>
        [
            Config, Listen, Sources.Zone, Ttl, Sources.Source, Sources.Manifests, Sources.Kubeconfig, Sources.Context, Sources.Member,
            MemberSyncTimeout, NameServerAddresses, Metrics, Health, Ready, Lameduck, LogFormat, LogQueries, NoErrors, Debug,
            TcpIdleTimeout, TcpMaxConnections,
        ];
    }

    private static Option<IPEndPoint[]> ListenOption() => new("--listen", "-l")
    {
        Description = "Address and port to answer on, over UDP and TCP. Repeat for several; IPv6 as [::]:53, all IPv4 addresses as :53. Port 0 picks a free port.",
        HelpName = "ADDR:PORT",
        CustomParser = ParseEndpoints,
        DefaultValueFactory = _ => DefaultListen,
    };

    /// <summary>An HTTP endpoint flag, on by default at its CoreDNS port unless a file says otherwise.</summary>
    private static Option<CommandOptions.HttpFlag> HttpOption(string name, string what, int defaultPort) =>
        CommandOptions.HttpEndpoint(name, $"{what} at ADDR:PORT, or 'off' (default :{defaultPort}; with --config, the file decides).");

    private static IPEndPoint[] ParseEndpoints(ArgumentResult result)
    {
        var endpoints = new List<IPEndPoint>(result.Tokens.Count);
        foreach (var token in result.Tokens)
        {
            if (ListenAddress.TryParse(token.Value, defaultPort: null, out var endpoint, out var error))
            {
                endpoints.Add(endpoint);
            }
            else
            {
                result.AddError($"--listen {error}");
            }
        }

        return [.. endpoints];
    }
}
