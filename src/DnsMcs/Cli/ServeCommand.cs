using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Configuration;
using DnsMcs.Server;
using DnsMcs.Zone;

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
        var zone = new Option<string>("--zone", "-z")
        {
            Description = "The zone answered authoritatively; everything else is REFUSED.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "clusterset.local",
        };
        zone.Validators.Add(result =>
        {
            if (!ZoneName.TryNormalize(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError($"--zone: {error}");
            }
        });
        var ttl = new Option<uint>("--ttl")
        {
            Description = $"TTL in seconds of every answer (0-{ZoneOptions.MaxTtl}); the SOA's is at most 300.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 5,
        };
        ttl.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<uint>() > ZoneOptions.MaxTtl)
            {
                result.AddError($"--ttl must be between 0 and {ZoneOptions.MaxTtl} seconds.");
            }
        });
        var manifests = new Option<DirectoryInfo>("--manifests", "-m")
        {
            Description = "Folder of ServiceImport, EndpointSlice, Namespace and ClusterProperty manifests (*.yaml, *.yml, *.json), "
                + "watched for changes. Without it the zone holds only its own SOA, NS and dns-version records.",
            HelpName = "DIR",
        };
        manifests.AcceptExistingOnly();
        var nsAddresses = new Option<IPAddress[]>("--ns-address")
        {
            Description = "Address answered for ns.dns.<zone>; repeat for several. Default: the --listen addresses that are not "
                + "wildcards, else this host's first address of each family listened on.",
            HelpName = "IP",
            CustomParser = ParseAddresses,
        };
        var idleTimeout = new Option<int>("--tcp-idle-timeout")
        {
            Description = "Seconds a TCP connection may stay open without a query (RFC 7766).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => (int)ServerOptions.DefaultTcpIdleTimeout.TotalSeconds,
        };
        idleTimeout.Validators.Add(result => RequireRange(result, 1, 3600, "--tcp-idle-timeout"));
        var maxConnections = new Option<int>("--tcp-max-connections")
        {
            Description = "Open TCP connections allowed; connections over the cap are closed at once.",
            HelpName = "COUNT",
            DefaultValueFactory = _ => ServerOptions.DefaultMaxTcpConnections,
        };
        maxConnections.Validators.Add(result => RequireRange(result, 1, 1_000_000, "--tcp-max-connections"));

        var command = new Command("serve", "Answer DNS for the clusterset zone over UDP and TCP.")
        {
            listen, zone, ttl, manifests, nsAddresses, idleTimeout, maxConnections,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var listenGiven = parseResult.GetResult(listen) is { Implicit: false };
            var endpoints = parseResult.GetRequiredValue(listen);
            if (!listenGiven && !Socket.OSSupportsIPv6)
            {
                // The default pair must work on an IPv4-only host; an explicit [::] still fails loudly.
                endpoints = [.. endpoints.Where(endpoint => endpoint.AddressFamily != AddressFamily.InterNetworkV6)];
            }

            ZoneName.TryNormalize(parseResult.GetRequiredValue(zone), out var zoneName, out _);
            var nameServers = parseResult.GetValue(nsAddresses) is { Length: > 0 } given ? given : NameServerAddressDefaults.For(endpoints);
            var settings = new ServeSettings(
                new ServerOptions
                {
                    Listen = endpoints,
                    TcpIdleTimeout = TimeSpan.FromSeconds(parseResult.GetValue(idleTimeout)),
                    MaxTcpConnections = parseResult.GetValue(maxConnections),
                },
                new ZoneOptions
                {
                    Zone = zoneName,
                    Ttl = parseResult.GetValue(ttl),
                    NameServerAddresses = nameServers,
                },
                parseResult.GetValue(manifests));
            return ServeHost.RunAsync(settings, cancellationToken);
        });
        return command;
    }

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

    private static IPAddress[] ParseAddresses(ArgumentResult result)
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

    private static void RequireRange(OptionResult result, int min, int max, string name)
    {
        var value = result.GetValueOrDefault<int>();
        if (value < min || value > max)
        {
            result.AddError($"{name} must be between {min} and {max}.");
        }
    }
}
