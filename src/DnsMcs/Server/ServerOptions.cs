using System.Net;

namespace DnsMcs.Server;

/// <summary>Where and how the listeners accept queries.</summary>
internal sealed record ServerOptions
{
    public const int DefaultMaxTcpConnections = 1000;

    /// <summary>The most <see cref="MaxTcpConnections"/> may be set to (flag and Corefile check against it).</summary>
    public const int MaxTcpConnectionsLimit = 1_000_000;

    public static readonly TimeSpan DefaultTcpIdleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The range <see cref="TcpIdleTimeout"/> may be set to: a second at least, an hour at most.</summary>
    public static readonly TimeSpan MinTcpIdleTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxTcpIdleTimeout = TimeSpan.FromHours(1);

    /// <summary>Each endpoint gets UDP and TCP on the same port (port 0: the port the first UDP socket got).</summary>
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    /// <summary>SO_REUSEPORT sockets per UDP endpoint, each drained by its own thread.</summary>
    public int UdpSocketsPerEndpoint { get; init; } = Environment.ProcessorCount;

    /// <summary>A TCP connection with no query for this long is closed (RFC 7766 §6.2.3 suggests seconds).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = DefaultTcpIdleTimeout;

    /// <summary>
    /// Serve TCP from one epoll loop per endpoint (<see cref="TcpEventLoop"/>, Linux only) rather than the thread
    /// pool's async sockets, which cost several times the answering at moderate rates (benchmarks/dnsperf).
    /// </summary>
    public bool TcpEventLoop { get; init; } = OperatingSystem.IsLinux();

    /// <summary>Open TCP connections across all endpoints; a connection over the cap is closed at once.</summary>
    public int MaxTcpConnections { get; init; } = DefaultMaxTcpConnections;

    /// <summary>After shutdown starts, UDP keeps answering this long while the pod leaves its Service (CoreDNS's lameduck).</summary>
    public TimeSpan Lameduck { get; init; }
}
