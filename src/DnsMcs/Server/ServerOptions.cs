using System.Net;

namespace DnsMcs.Server;

/// <summary>Where and how the listeners accept queries.</summary>
internal sealed record ServerOptions
{
    public const int DefaultMaxTcpConnections = 1000;

    public const int DefaultDedicatedTcpThreads = 64;

    public static readonly TimeSpan DefaultTcpIdleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Each endpoint gets UDP and TCP on the same port (port 0: the port the first UDP socket got).</summary>
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    /// <summary>SO_REUSEPORT sockets per UDP endpoint, each drained by its own thread.</summary>
    public int UdpSocketsPerEndpoint { get; init; } = Environment.ProcessorCount;

    /// <summary>A TCP connection with no query for this long is closed (RFC 7766 §6.2.3 suggests seconds).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = DefaultTcpIdleTimeout;

    /// <summary>
    /// TCP connections (per endpoint) served each by a thread of its own with blocking calls; the rest go through the
    /// thread pool. A dedicated thread costs one wake-up per batch of queries and nothing when idle; the pool's
    /// workers spin before they sleep, which at moderate rates costs several times the answering itself
    /// (benchmarks/dnsperf). Clients that use TCP (forwarders, truncation retries) hold few connections, so the
    /// first ones get the cheap path and a flood of connections cannot make a thread each.
    /// </summary>
    public int DedicatedTcpThreads { get; init; } = DefaultDedicatedTcpThreads;

    /// <summary>Open TCP connections across all endpoints; a connection over the cap is closed at once.</summary>
    public int MaxTcpConnections { get; init; } = DefaultMaxTcpConnections;

    /// <summary>After shutdown starts, UDP keeps answering this long while the pod leaves its Service (CoreDNS's lameduck).</summary>
    public TimeSpan Lameduck { get; init; }
}
