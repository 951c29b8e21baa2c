using System.Net;
using DnsMcs.Http;
using DnsMcs.Server;
using DnsMcs.Zone;

namespace DnsMcs.Configuration;

/// <summary>
/// Everything <c>dnsmcs serve</c> needs, from flags or from a Corefile. Property defaults are what a Corefile
/// means when a directive is absent (as in CoreDNS: no <c>prometheus</c> line, no metrics);
/// <see cref="CommandLineDefaults"/> is the starting point for flags, with the HTTP endpoints on.
/// </summary>
internal sealed record ServeConfiguration
{
    public const int DefaultDnsPort = 53;
    public const int DefaultMetricsPort = 9153;
    public const int DefaultHealthPort = 8080;
    public const int DefaultReadyPort = 8181;

    public static ServeConfiguration CommandLineDefaults { get; } = new()
    {
        Metrics = new IPEndPoint(IPAddress.Any, DefaultMetricsPort),
        Health = new IPEndPoint(IPAddress.Any, DefaultHealthPort),
        Ready = new IPEndPoint(IPAddress.Any, DefaultReadyPort),
        LogErrors = true,
    };

    /// <summary>The zone apex without trailing dot, lowercase.</summary>
    public string Zone { get; init; } = ZoneOptions.DefaultZone;

    /// <summary>DNS listen addresses (UDP and TCP on each); like CoreDNS without <c>bind</c>, every address of both families.</summary>
    public IReadOnlyList<IPEndPoint> Listen { get; init; } = AllAddresses(DefaultDnsPort);

    public uint Ttl { get; init; } = ZoneOptions.DefaultTtl;

    /// <summary>CoreDNS <c>timeouts { idle }</c>: a TCP connection with no query for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = ServerOptions.DefaultTcpIdleTimeout;

    /// <summary><c>tcp_max_connections</c>: open TCP connections allowed; one over the cap is closed at once.</summary>
    public int MaxTcpConnections { get; init; } = ServerOptions.DefaultMaxTcpConnections;

    public IReadOnlyList<SourceConfiguration> Sources { get; init; } = [];

    /// <summary>Addresses answered for ns.dns.&lt;zone&gt;.</summary>
    public IReadOnlyList<IPAddress> NameServerAddresses { get; init; } = [];

    public IPEndPoint? Metrics { get; init; }

    public IPEndPoint? Health { get; init; }

    public IPEndPoint? Ready { get; init; }

    /// <summary>How long /health (and UDP) keep answering after shutdown starts.</summary>
    public TimeSpan Lameduck { get; init; }

    /// <summary>CoreDNS <c>log</c>: one line per query. Off by default: a log line per query is a cost.</summary>
    public bool LogQueries { get; init; }

    /// <summary>CoreDNS <c>errors</c>: log failures (SERVFAIL causes, source errors).</summary>
    public bool LogErrors { get; init; }

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary><c>debug</c>: serve /debug/explain on the metrics listener. Off by default: it shows what the index holds.</summary>
    public bool Debug { get; init; }

    /// <summary>CoreDNS <c>reload</c>: how often the Corefile is checked for changes; null = never.</summary>
    public TimeSpan? ReloadInterval { get; init; }

    public TimeSpan ReloadJitter { get; init; }

    /// <summary>The Corefile this came from, for reload and messages; null for flags only.</summary>
    public string? ConfigFile { get; init; }

    public static IReadOnlyList<IPEndPoint> AllAddresses(int port) => [new(IPAddress.Any, port), new(IPAddress.IPv6Any, port)];

    public OperationsOptions ToOperationsOptions() => new()
    {
        Metrics = Metrics,
        Health = Health,
        Ready = Ready,
        Lameduck = Lameduck,
    };

    public ServerOptions ToServerOptions() => new()
    {
        Listen = Listen,
        TcpIdleTimeout = TcpIdleTimeout,
        MaxTcpConnections = MaxTcpConnections,
        Lameduck = Lameduck,
    };

    public ZoneOptions ToZoneOptions() => new()
    {
        Zone = Zone,
        Ttl = Ttl,
        NameServerAddresses = NameServerAddresses,
    };
}
