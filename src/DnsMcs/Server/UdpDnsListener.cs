using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Metrics;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>
/// UDP on one endpoint: several SO_REUSEPORT sockets, each drained by its own dedicated thread. On 64-bit Linux the
/// thread takes up to ten datagrams per recvmmsg and sends their answers with one sendmmsg (<see cref="UdpBatchLoop"/>);
/// elsewhere, or when those calls are missing, it uses the synchronous span/SocketAddress APIs, one datagram per call
/// (measured on our hardware, that beats the async loop by about a third, PERFORMANCE.md). Neither allocates per
/// datagram: buffers and addresses are made once per loop.
/// </summary>
internal sealed class UdpDnsListener : IDisposable
{
    // The largest datagram IPv4/IPv6 can carry fits; a query is far smaller, but a short buffer would make
    // the kernel truncate and the responder see a broken message instead of a whole one.
    internal const int ReceiveBufferBytes = 65535;

    // Our EDNS payload is 1232 and 512 without EDNS, so no UDP answer is larger than this.
    internal const int ResponseBufferBytes = 4096;

    internal static readonly TimeSpan ErrorReportInterval = TimeSpan.FromSeconds(10);

    private readonly Socket[] _sockets;
    private readonly Thread[] _threads;
    private readonly IPacketResponder _responder;
    private readonly ILogger _logger;
    private readonly bool _batch;
    private volatile bool _stopping;
    private int _batchLoops;

    // Test hook (see AllocatedBytesOnLoopThread): read once per batch or datagram, a volatile read of a bool.
    private volatile bool _allocationProbeRequested;
    private long _allocationProbeBytes;
    private int _allocationProbeAnswers;

    private static int s_fallbackLogged;

    private UdpDnsListener(Socket[] sockets, IPEndPoint endpoint, IPacketResponder responder, bool batch, ILogger logger)
    {
        _sockets = sockets;
        _batch = batch && RecvMmsg.Supported;
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

    /// <summary>Loops serving with recvmmsg/sendmmsg now (the rest use the managed one-datagram loop, or have ended).</summary>
    internal int BatchLoops => Volatile.Read(ref _batchLoops);

    internal bool Stopping => _stopping;

    /// <summary>
    /// Binds <paramref name="socketCount"/> sockets. Port 0 binds the first socket to any free port and the rest to
    /// that same port, so they form one SO_REUSEPORT group.
    /// The group is ours alone: a socket without SO_REUSEPORT is bound first and closed again, and it binds only where
    /// no UDP socket is. Without it, the kernel lets any SO_REUSEPORT socket of the same user join, and would hand
    /// port 0 an existing group's port: another process's datagrams, silently shared with whatever answers there.
    /// </summary>
    /// <param name="batch">Whether to use recvmmsg/sendmmsg where available (tests turn it off to check the managed loop).</param>
    public static UdpDnsListener Bind(IPEndPoint endpoint, int socketCount, IPacketResponder responder, ILogger logger, bool batch = true)
    {
        // SO_REUSEPORT load-balancing is a Linux feature; elsewhere a second socket on the port would fail to bind.
        socketCount = OperatingSystem.IsLinux() ? Math.Max(1, socketCount) : 1;
        var sockets = new List<Socket>(socketCount);
        try
        {
            if (socketCount > 1)
            {
                using var probe = ListenSocketFactory.BindUdp(endpoint, reusePort: false);
                endpoint = (IPEndPoint)probe.LocalEndPoint!;
            }

            var first = ListenSocketFactory.BindUdp(endpoint, reusePort: socketCount > 1);
            sockets.Add(first);
            var bound = (IPEndPoint)first.LocalEndPoint!;
            for (var i = 1; i < socketCount; i++)
            {
                sockets.Add(ListenSocketFactory.BindUdp(bound, reusePort: true));
            }

            return new UdpDnsListener([.. sockets], bound, responder, batch, logger);
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

    /// <summary>
    /// Wakes every loop and waits up to <paramref name="wait"/> for each to end. On Linux the sockets are shut down, not
    /// closed, to wake the loops: a loop owns its descriptor until it ends and closes the socket itself, so no call
    /// ever reaches a closed (or reused) descriptor. Elsewhere closing the socket wakes the managed receive.
    /// </summary>
    public void Stop(TimeSpan wait)
    {
        Wake();
        foreach (var thread in _threads)
        {
            if (thread.IsAlive)
            {
                thread.Join(wait);
            }
        }

        CloseEnded();
    }

    /// <summary>Wakes the loops and returns without waiting; a loop still running closes its socket when it ends.</summary>
    public void Dispose()
    {
        Wake();
        CloseEnded();
    }

    /// <summary>
    /// Test hook: the bytes the loop thread of a one-socket listener has allocated so far
    /// (<see cref="GC.GetAllocatedBytesForCurrentThread"/> read on that thread). The loop reads the request after a
    /// batch, so <paramref name="poke"/> must send it a datagram.
    /// </summary>
    internal long AllocatedBytesOnLoopThread(TimeSpan patience, Action poke)
    {
        if (_sockets.Length != 1)
        {
            throw new InvalidOperationException("the probe needs a listener with one socket");
        }

        var answers = Volatile.Read(ref _allocationProbeAnswers);
        _allocationProbeRequested = true;
        var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _allocationProbeAnswers) == answers)
        {
            if (!_threads[0].IsAlive || Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("the UDP loop did not answer the allocation probe");
            }

            poke();
            Thread.Sleep(1);
        }

        return Interlocked.Read(ref _allocationProbeBytes);
    }

    internal void AnswerAllocationProbe()
    {
        if (!_allocationProbeRequested)
        {
            return;
        }

        _allocationProbeRequested = false;
        Interlocked.Exchange(ref _allocationProbeBytes, GC.GetAllocatedBytesForCurrentThread());
        Interlocked.Increment(ref _allocationProbeAnswers);
    }

    /// <summary>A responder bug: logged, throttled; the datagram is lost.</summary>
    internal void ReportPacketError(ref LogThrottle throttle, Exception e)
    {
        if (throttle.ShouldReport(out var suppressed))
        {
            ServerLog.UdpPacketFailed(_logger, e, Endpoint, suppressed);
        }
    }

    private void Wake()
    {
        _stopping = true;
        foreach (var socket in _sockets)
        {
            if (!OperatingSystem.IsLinux())
            {
                socket.Dispose();
                continue;
            }

            // The reference keeps the descriptor from being closed (by a loop ending) while it is shut down.
            var added = false;
            try
            {
                socket.SafeHandle.DangerousAddRef(ref added);
                RecvMmsg.Shutdown((int)socket.SafeHandle.DangerousGetHandle());
            }
            catch (ObjectDisposedException)
            {
                // Already closed: its loop has ended.
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                socket.Dispose(); // no libc shutdown: closing wakes the managed receive, as elsewhere
            }
            finally
            {
                if (added)
                {
                    socket.SafeHandle.DangerousRelease();
                }
            }
        }
    }

    private void CloseEnded()
    {
        for (var i = 0; i < _sockets.Length; i++)
        {
            // Never started, or ended: nothing uses the descriptor. A running loop closes its own socket on the way out.
            if (!_threads[i].IsAlive)
            {
                _sockets[i].Dispose();
            }
        }
    }

    private void Run(Socket socket)
    {
        // This thread counts every query it answers: in stripes of its own, with plain writes.
        using var writer = MetricWriter.Claim();
        try
        {
            if (!_batch || !RunBatch(socket))
            {
                RunManaged(socket);
            }
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>The recvmmsg loop; false when it could not start (the managed loop then serves the socket).</summary>
    private bool RunBatch(Socket socket)
    {
        var added = false;
        var counted = false;
        UdpBatchLoop? loop = null;
        try
        {
            socket.SafeHandle.DangerousAddRef(ref added);
            loop = new UdpBatchLoop(this, _responder, socket.AddressFamily);
            Interlocked.Increment(ref _batchLoops);
            counted = true;
            if (loop.Run((int)socket.SafeHandle.DangerousGetHandle()))
            {
                return true;
            }

            LogFallback("the kernel or libc lacks recvmmsg");
            return false;
        }
        catch (Exception) when (_stopping)
        {
            return true; // stopped before or while the loop began
        }
        catch (Exception e) when (!_stopping)
        {
            // Not a datagram's fault (those are handled inside): the loop cannot go on, the managed one takes over.
            LogFallback(e.Message);
            return false;
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _batchLoops);
            }

            loop?.Dispose();
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private void LogFallback(string reason)
    {
        if (Interlocked.Exchange(ref s_fallbackLogged, 1) == 0)
        {
            ServerLog.UdpBatchUnavailable(_logger, Endpoint, reason);
        }
    }

    private void RunManaged(Socket socket)
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

            if (_stopping)
            {
                return; // woken by the shutdown, with nothing received
            }

            DnsResponse answer;
            try
            {
                answer = _responder.Respond(query.AsSpan(0, received), response, DnsTransport.Udp, from);
            }
            catch (Exception e)
            {
                // A responder bug must cost one query, not the listener.
                ReportPacketError(ref packetErrors, e);
                continue;
            }

            if (answer.Length == 0)
            {
                AnswerAllocationProbe();
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

            AnswerAllocationProbe();
        }
    }

    /// <summary>Logs (throttled) an error that is not a remote peer's doing; returns whether it was one.</summary>
    internal bool ReportSocketError(ref LogThrottle throttle, SocketError error)
    {
        // These are a remote peer's doing and expected now and then; not worth even a throttled line.
        if (error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.WouldBlock)
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
