using System.Net;
using System.Net.Sockets;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>
/// UDP on one endpoint: several SO_REUSEPORT sockets, each drained by its own dedicated thread with the
/// synchronous span/SocketAddress APIs. Measured on our hardware, that loop beats the async one by about
/// a third (PERFORMANCE.md), and it allocates nothing per datagram: buffers and the address are made once per loop.
/// </summary>
internal sealed class UdpDnsListener : IDisposable
{
    // The largest datagram IPv4/IPv6 can carry fits; a query is far smaller, but a short buffer would make
    // the kernel truncate and the responder see a broken message instead of a whole one.
    private const int ReceiveBufferBytes = 65535;

    // Our EDNS payload is 1232 and 512 without EDNS, so no UDP answer is larger than this.
    private const int ResponseBufferBytes = 4096;

    private static readonly TimeSpan ErrorReportInterval = TimeSpan.FromSeconds(10);

    private readonly Socket[] _sockets;
    private readonly Thread[] _threads;
    private readonly IPacketResponder _responder;
    private readonly ILogger _logger;
    private volatile bool _stopping;

    private UdpDnsListener(Socket[] sockets, IPEndPoint endpoint, IPacketResponder responder, ILogger logger)
    {
        _sockets = sockets;
        _responder = responder;
        _logger = logger;
        Endpoint = endpoint;
        _threads = new Thread[sockets.Length];
        for (var i = 0; i < sockets.Length; i++)
        {
            var socket = sockets[i];
            _threads[i] = new Thread(() => Run(socket))
            {
                IsBackground = true,
                Name = $"dns-udp {endpoint} #{i}",
            };
        }
    }

    /// <summary>The bound endpoint, with the real port when port 0 was asked for.</summary>
    public IPEndPoint Endpoint { get; }

    public int SocketCount => _sockets.Length;

    /// <summary>
    /// Binds <paramref name="socketCount"/> sockets. Port 0 binds the first socket to any free port and the rest to
    /// that same port, so they form one SO_REUSEPORT group.
    /// </summary>
    public static UdpDnsListener Bind(IPEndPoint endpoint, int socketCount, IPacketResponder responder, ILogger logger)
    {
        // SO_REUSEPORT load-balancing is a Linux feature; elsewhere a second socket on the port would fail to bind.
        socketCount = OperatingSystem.IsLinux() ? Math.Max(1, socketCount) : 1;
        var sockets = new List<Socket>(socketCount);
        try
        {
            var first = ListenSocketFactory.BindUdp(endpoint, reusePort: socketCount > 1);
            sockets.Add(first);
            var bound = (IPEndPoint)first.LocalEndPoint!;
            for (var i = 1; i < socketCount; i++)
            {
                sockets.Add(ListenSocketFactory.BindUdp(bound, reusePort: true));
            }

            return new UdpDnsListener([.. sockets], bound, responder, logger);
        }
        catch
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    public void Start()
    {
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Closing the sockets wakes the blocked receives; each loop then sees <see cref="_stopping"/> and ends.</summary>
    public void Stop(TimeSpan wait)
    {
        _stopping = true;
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        foreach (var thread in _threads)
        {
            if (thread.IsAlive)
            {
                thread.Join(wait);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private void Run(Socket socket)
    {
        var query = GC.AllocateUninitializedArray<byte>(ReceiveBufferBytes, pinned: true);
        var response = GC.AllocateUninitializedArray<byte>(ResponseBufferBytes, pinned: true);
        var peer = new SocketAddress(socket.AddressFamily);
        var from = new DnsPeer(peer);

        var packetErrors = new LogThrottle(ErrorReportInterval);
        var socketErrors = new LogThrottle(ErrorReportInterval);

        while (!_stopping)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(query, SocketFlags.None, peer);
            }
            catch (SocketException e) when (!_stopping)
            {
                // ICMP port-unreachable for an earlier reply (ConnectionReset) or an oversized datagram: that one
                // packet is lost, the socket is fine. Anything else gets a breath so a persistent fault cannot spin a core.
                if (ReportSocketError(ref socketErrors, e.SocketErrorCode))
                {
                    Thread.Sleep(1);
                }

                continue;
            }
            catch (Exception) when (_stopping)
            {
                return;
            }

            DnsResponse answer;
            try
            {
                answer = _responder.Respond(query.AsSpan(0, received), response, DnsTransport.Udp, from);
            }
            catch (Exception e)
            {
                // A responder bug must cost one query, not the listener.
                if (packetErrors.ShouldReport(out var suppressed))
                {
                    ServerLog.UdpPacketFailed(_logger, e, Endpoint, suppressed);
                }

                continue;
            }

            if (answer.Length == 0)
            {
                continue;
            }

            try
            {
                socket.SendTo(response.AsSpan(0, answer.Length), SocketFlags.None, peer);
            }
            catch (SocketException e) when (!_stopping)
            {
                // The peer's address is unreachable or the send buffer is full: drop this reply, as a router would.
                ReportSocketError(ref socketErrors, e.SocketErrorCode);
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
        }
    }

    /// <summary>Logs (throttled) an error that is not a remote peer's doing; returns whether it was one.</summary>
    private bool ReportSocketError(ref LogThrottle throttle, SocketError error)
    {
        // These are a remote peer's doing and expected now and then; not worth even a throttled line.
        if (error is SocketError.ConnectionReset or SocketError.MessageSize or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.WouldBlock)
        {
            return false;
        }

        if (throttle.ShouldReport(out var suppressed))
        {
            ServerLog.UdpSocketError(_logger, Endpoint, error, suppressed);
        }

        return true;
    }
}
