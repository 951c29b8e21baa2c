using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Configuration;
using DnsMcs.Server;
using DnsMcs.Sources.Centralized;
using DnsMcs.Zone;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Cli;

/// <summary><c>dnsmcs serve</c>: its options, their checks and defaults, and the hand-over to <see cref="ServeHost"/>.</summary>
internal static class ServeCommand
{
    private static readonly IPEndPoint[] DefaultListen = [new(IPAddress.Any, 53), new(IPAddress.IPv6Any, 53)];

    public static Command Create()
    {
        var listen = new Option<IPEndPoint[]>("--listen", "-l")
        {
            Description = "Address and port to answer on, over UDP and TCP. Repeat for several; IPv6 as [::]:53, all IPv4 addresses as :53. Port 0 picks a free port.",
            HelpName = "ADDR:PORT",
            CustomParser = ParseEndpoints,
            DefaultValueFactory = _ => DefaultListen,
        };
        var sourceFlags = new SourceFlags(watched: true);
        var zone = sourceFlags.Zone;
        var ttl = CommandOptions.Count(
            "--ttl", "TTL in seconds of every answer; the SOA's is at most 300.", defaultValue: (int)ZoneOptions.DefaultTtl, min: 0, max: (int)ZoneOptions.MaxTtl, helpName: "SECONDS");
        var manifests = sourceFlags.Manifests;
        var nsAddresses = new Option<IPAddress[]>("--ns-address")
        {
            Description = "Address answered for ns.dns.<zone>; repeat for several. Default: the --listen addresses that are not "
                + "wildcards, else this host's first address of each family listened on.",
            HelpName = "IP",
            CustomParser = ParseAddresses,
        };
        var idleTimeout = CommandOptions.Count(
            "--tcp-idle-timeout", "Seconds a TCP connection may stay open without a query (RFC 7766).",
            (int)ServerOptions.DefaultTcpIdleTimeout.TotalSeconds, min: (int)ServerOptions.MinTcpIdleTimeout.TotalSeconds, max: (int)ServerOptions.MaxTcpIdleTimeout.TotalSeconds, helpName: "SECONDS");
        var maxConnections = CommandOptions.Count(
            "--tcp-max-connections", "Open TCP connections allowed; connections over the cap are closed at once.",
            ServerOptions.DefaultMaxTcpConnections, min: 1, max: ServerOptions.MaxTcpConnectionsLimit);

        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "Read settings from this Corefile-syntax file (see docs/configuration.md); flags given as well override it.",
            HelpName = "FILE",
        };
        config.AcceptExistingOnly();
        var source = sourceFlags.Source;
        var kubeconfig = sourceFlags.Kubeconfig;
        var context = sourceFlags.Context;
        var member = sourceFlags.Member;
        var memberSyncTimeout = CommandOptions.Count(
            "--member-sync-timeout", "Seconds to wait for a member's first list before serving without it (0: wait for ever); it fills in when it answers.",
            (int)CentralizedSourceOptions.DefaultMemberSyncTimeout.TotalSeconds, min: 0, max: 86400, helpName: "SECONDS");
        var metrics = HttpOption("--metrics", "Serve Prometheus metrics at /metrics", ServeConfiguration.DefaultMetricsPort);
        var health = HttpOption("--health", "Serve /health (200 while the process runs)", ServeConfiguration.DefaultHealthPort);
        var ready = HttpOption("--ready", "Serve /ready (200 once listening and every source has synced)", ServeConfiguration.DefaultReadyPort);
        var lameduck = new Option<string>("--lameduck")
        {
            Description = "On shutdown, keep answering UDP and /health this long (e.g. 5s) while the pod leaves its Service.",
            HelpName = "DURATION",
        };
        lameduck.Validators.Add(result =>
        {
            if (!GoDuration.TryParse(result.GetValueOrDefault<string>() ?? string.Empty, out _))
            {
                result.AddError("--lameduck takes a duration such as 500ms, 5s or 1m");
            }
        });
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Log output: text (one line per message) or json.",
            HelpName = "FORMAT",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var logQueries = new Option<bool>("--log-queries")
        {
            Description = "Log one line per query in CoreDNS's log format (costs more than the query; off by default).",
        };
        var debug = new Option<bool>("--debug")
        {
            Description = "Serve /debug/explain?name=NAME&type=TYPE on the metrics listener: why a name answers what it answers (as dnsmcs explain).",
        };
        var noErrors = new Option<bool>("--no-errors")
        {
            Description = "Do not log source and watch failures (CoreDNS without the errors directive).",
        };

        var command = new Command("serve", "Answer DNS for the clusterset zone over UDP and TCP.")
        {
            config, listen, zone, ttl, source, manifests, kubeconfig, context, member, memberSyncTimeout, nsAddresses,
            metrics, health, ready, lameduck, logFormat, logQueries, noErrors, debug, idleTimeout, maxConnections,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            ServeConfiguration settings;
            try
            {
                settings = parseResult.GetValue(config) is { } file ? CorefileParser.ParseFile(file.FullName) : ServeConfiguration.CommandLineDefaults;
            }
            catch (ConfigurationException e)
            {
                Console.Error.WriteLine(e.Message);
                return Task.FromResult(ServeHost.ExitFailed);
            }

            bool Given(Option option) => parseResult.GetResult(option) is { Implicit: false };

            if (Given(listen))
            {
                settings = settings with { Listen = parseResult.GetRequiredValue(listen) };
            }
            else if (settings.ConfigFile is null && !Socket.OSSupportsIPv6)
            {
                // The default pair must work on an IPv4-only host; an explicit [::] still fails loudly.
                settings = settings with { Listen = [.. settings.Listen.Where(endpoint => endpoint.AddressFamily != AddressFamily.InterNetworkV6)] };
            }

            if (Given(zone))
            {
                NameRules.TryNormalizeZone(parseResult.GetRequiredValue(zone), out var zoneName, out _);
                settings = settings with { Zone = zoneName };
            }

            if (Given(ttl))
            {
                settings = settings with { Ttl = (uint)parseResult.GetValue(ttl) };
            }

            if (Given(source) || Given(manifests) || Given(kubeconfig) || Given(context) || Given(member))
            {
                var sources = sourceFlags.Resolve(parseResult, out var error);
                if (error is not null)
                {
                    Console.Error.WriteLine(error);
                    return Task.FromResult(ServeHost.ExitFailed);
                }

                settings = settings with { Sources = sources };
            }

            if (parseResult.GetValue(nsAddresses) is { Length: > 0 } given)
            {
                settings = settings with { NameServerAddresses = given };
            }
            else if (settings.NameServerAddresses.Count == 0)
            {
                settings = settings with { NameServerAddresses = NameServerAddressDefaults.For([.. settings.Listen]) };
            }

            if (Given(metrics))
            {
                settings = settings with { Metrics = HttpEndpoint(parseResult, metrics) };
            }

            if (Given(health))
            {
                settings = settings with { Health = HttpEndpoint(parseResult, health) };
            }

            if (Given(ready))
            {
                settings = settings with { Ready = HttpEndpoint(parseResult, ready) };
            }

            if (parseResult.GetValue(lameduck) is { } duration && GoDuration.TryParse(duration, out var lameduckTime))
            {
                settings = settings with { Lameduck = lameduckTime };
            }

            if (parseResult.GetValue(logFormat) is { } format)
            {
                settings = settings with { LogFormat = format == "json" ? Configuration.LogFormat.Json : Configuration.LogFormat.Text };
            }

            if (parseResult.GetValue(logQueries))
            {
                settings = settings with { LogQueries = true };
            }

            if (parseResult.GetValue(noErrors))
            {
                settings = settings with { LogErrors = false };
            }

            if (parseResult.GetValue(debug))
            {
                settings = settings with { Debug = true };
            }

            if (Given(idleTimeout))
            {
                settings = settings with { TcpIdleTimeout = TimeSpan.FromSeconds(parseResult.GetValue(idleTimeout)) };
            }

            if (Given(maxConnections))
            {
                settings = settings with { MaxTcpConnections = parseResult.GetValue(maxConnections) };
            }

            return ServeHost.RunAsync(new ServeSettings(settings, TimeSpan.FromSeconds(parseResult.GetValue(memberSyncTimeout))), cancellationToken);
        });
        return command;
    }

    /// <summary>An HTTP endpoint flag: ADDR:PORT, or "off" to disable it.</summary>
    private static Option<string> HttpOption(string name, string what, int defaultPort)
    {
        var option = new Option<string>(name)
        {
            Description = $"{what} at ADDR:PORT, or 'off' (default :{defaultPort}; with --config, the file decides).",
            HelpName = "ADDR:PORT|off",
        };
        option.Validators.Add(result =>
        {
            if (!TryParseHttpEndpoint(result.GetValueOrDefault<string>() ?? string.Empty, out _, out var error))
            {
                result.AddError($"{name} {error}");
            }
        });
        return option;
    }

    private static bool TryParseHttpEndpoint(string text, out IPEndPoint? endpoint, out string error)
    {
        error = string.Empty;
        endpoint = null;
        if (text is "off" or "none")
        {
            return true;
        }

        var parsed = ListenAddress.TryParse(text, defaultPort: null, out var value, out error);
        endpoint = parsed ? value : null;
        return parsed;
    }

    /// <summary>The flag's endpoint, null for "off"; the validator has already rejected anything else.</summary>
    private static IPEndPoint? HttpEndpoint(ParseResult parseResult, Option<string> option) =>
        TryParseHttpEndpoint(parseResult.GetValue(option) ?? "off", out var endpoint, out _) ? endpoint : null;

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

    internal static IPAddress[] ParseAddresses(ArgumentResult result)
    {
        var addresses = new List<IPAddress>(result.Tokens.Count);
        foreach (var token in result.Tokens)
        {
            if (IPAddress.TryParse(token.Value, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                result.AddError($"--ns-address: '{token.Value}' is not an IP address");
            }
        }

        return [.. addresses];
    }
}
