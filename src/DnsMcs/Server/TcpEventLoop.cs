using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Metrics;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>
/// Every TCP connection of one endpoint served by one dedicated thread from an epoll readiness loop (Linux), as Knot
/// and NSD do: a wake-up answers whatever every ready connection has sent, with one non-blocking read and one send
/// each, and nothing runs between queries. The thread pool's async path costs several times the answering itself at
/// moderate rates (its workers spin before they sleep, and each read completes through two hops); a thread per
/// connection costs a context switch per query. Same rules as <see cref="TcpDnsConnection"/>: answers in order, a
/// connection closes when the client does, after the idle timeout, when the responder drops or throws, and at
/// shutdown once what it sent is answered.
/// </summary>
internal sealed class TcpEventLoop : IDisposable
{
    private const ulong WakeData = 0;
    private const ulong TimerData = ulong.MaxValue;
    private const int MaxEvents = 64;
    private const int UnsentArraysKept = 32; // bounds what the pool keeps (4 MiB) after many clients stall at once
    private const uint ReadInterest = Epoll.In | Epoll.ReadHangup;

    private readonly IPacketResponder _responder;
    private readonly TcpConnectionTracker _connections;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly IPEndPoint _endpoint;
    private readonly int _epoll;
    private readonly int _wake;
    private readonly byte[] _wakeBytes = new byte[8];
    private readonly int _timer;
    private readonly byte[] _timerBytes = new byte[8];
    private readonly ConcurrentQueue<Socket> _arrivals = new();
    private readonly List<Connection?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly byte[] _output = GC.AllocateUninitializedArray<byte>(TcpDnsConnection.OutputBytes, pinned: true);

    // Answers a slow client has not taken yet. The loop's own pool, not ArrayPool.Shared: the shared pool's arrays
    // are trimmed at gen-2 collections and taken by other threads, so a stall could allocate again. Every array is
    // the output's size (what one send can leave), one size class: a stall of a size not seen before allocates nothing.
    private readonly ArrayPool<byte> _unsentPool = ArrayPool<byte>.Create(TcpDnsConnection.OutputBytes, UnsentArraysKept);
    private readonly Thread _thread;
    private readonly int _sweepMs;
    private readonly long _idleTicks;
    private volatile bool _stopping;
    private int _open;

    // Sweep periods ended while connections were open: the loop's only clock. A query marks its connection with the
    // current count, so answering reads no time at all, and epoll waits without a timeout (no timer armed per wait).
    private long _ticks;

    // Test hook (see AllocatedBytesOnLoopThread): read only on a wake-up, so the query path pays nothing for it.
    private volatile bool _allocationProbeRequested;
    private long _allocationProbeBytes;
    private int _allocationProbeAnswers;

    public TcpEventLoop(IPEndPoint endpoint, IPacketResponder responder, TcpConnectionTracker connections, TimeSpan idleTimeout, ILogger logger)
    {
        _endpoint = endpoint;
        _responder = responder;
        _connections = connections;
        _idleTimeout = idleTimeout;
        _logger = logger;

        // Idle connections are found by a sweep each period of a timer that runs while any is open. A connection last
        // active during period k closes at the end of period k + ticks, so after the timeout and at most two periods
        // (a quarter of it, or 2 s) more.
        _sweepMs = (int)Math.Clamp(idleTimeout.TotalMilliseconds / 8, 10, 1000);
        _idleTicks = (long)Math.Ceiling(idleTimeout.TotalMilliseconds / _sweepMs) + 1;
        _epoll = Epoll.Create();
        _wake = Epoll.CreateEventFd();
        _timer = Epoll.CreateTimerFd();
        Epoll.Add(_epoll, _wake, Epoll.In, WakeData);
        Epoll.Add(_epoll, _timer, Epoll.In, TimerData);
        _thread = new Thread(Run) { IsBackground = true, Name = $"dns-tcp {endpoint}" };
    }

    public void Start() => _thread.Start();

    /// <summary>Hands an accepted connection (its slot in the tracker already taken) to the loop.</summary>
    public void Add(Socket client)
    {
        _arrivals.Enqueue(client);
        Epoll.Signal(_wake, new byte[8]);
    }

    /// <summary>Closes every connection once what it sent is answered, and ends the loop.</summary>
    public void Stop(TimeSpan wait)
    {
        _stopping = true;
        Epoll.Signal(_wake, new byte[8]);
        if (_thread.IsAlive)
        {
            _thread.Join(wait);
        }
    }

    /// <summary>
    /// Test hook: the bytes the loop thread has allocated so far (<see cref="GC.GetAllocatedBytesForCurrentThread"/>
    /// read on that thread), so a test can prove the loop allocates nothing per query whatever other threads do.
    /// </summary>
    internal long AllocatedBytesOnLoopThread(TimeSpan patience)
    {
        var answers = Volatile.Read(ref _allocationProbeAnswers);
        _allocationProbeRequested = true;
        Epoll.Signal(_wake, new byte[8]);
        var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _allocationProbeAnswers) == answers)
        {
            if (!_thread.IsAlive || Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("the TCP loop did not answer the allocation probe");
            }

            Thread.Sleep(1);
        }

        return Interlocked.Read(ref _allocationProbeBytes);
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(2));
        if (!_thread.IsAlive)
        {
            Epoll.Close(_wake);
            Epoll.Close(_timer);
            Epoll.Close(_epoll);
        }
    }

    private void Run()
    {
        // This thread counts every query it answers: in stripes of its own, with plain writes.
        using var writer = MetricWriter.Claim();
        var events = new byte[MaxEvents * Epoll.EventSize];
        try
        {
            while (!_stopping)
            {
                // Until a query, a connection, a sweep period's end or shutdown.
                var ready = Epoll.Wait(_epoll, events, -1);
                for (var i = 0; i < ready; i++)
                {
                    var data = Epoll.DataAt(events, i);
                    if (data == WakeData)
                    {
                        Epoll.Drain(_wake, _wakeBytes);
                        TakeArrivals();
                        AnswerAllocationProbe();
                        continue;
                    }

                    if (data == TimerData)
                    {
                        _ticks += Epoll.Expirations(_timer, _timerBytes);
                        CloseIdle();
                        continue;
                    }

                    var connection = _slots[(int)data - 1];
                    if (connection is not null)
                    {
                        Serve(connection, Epoll.EventsAt(events, i));
                    }
                }
            }
        }
        catch (Exception e)
        {
            // epoll itself failed (it does not, short of a kernel bug): say so; the connections are closed below.
            ServerLog.ConnectionFailed(_logger, e, _endpoint);
        }
        finally
        {
            CloseAll();
        }
    }

    private void AnswerAllocationProbe()
    {
        if (!_allocationProbeRequested)
        {
            return;
        }

        _allocationProbeRequested = false;
        Interlocked.Exchange(ref _allocationProbeBytes, GC.GetAllocatedBytesForCurrentThread());
        Interlocked.Increment(ref _allocationProbeAnswers);
    }

    private void TakeArrivals()
    {
        while (_arrivals.TryDequeue(out var client))
        {
            if (_stopping)
            {
                client.Dispose();
                _connections.Exit();
                continue;
            }

            Connection? connection = null;
            try
            {
                client.NoDelay = true;
                client.Blocking = false;
                connection = new Connection(client, AllocateSlot()) { LastActive = _ticks };
                _slots[connection.Slot - 1] = connection;
                if (++_open == 1)
                {
                    Epoll.SetPeriod(_timer, _sweepMs);
                }

                Epoll.Add(_epoll, connection.Fd, ReadInterest, (ulong)connection.Slot);
            }
            catch (Exception e)
            {
                ServerLog.ConnectionFailed(_logger, e, null);
                if (connection is not null)
                {
                    Close(connection);
                }
                else
                {
                    client.Dispose();
                    _connections.Exit();
                }
            }
        }
    }

    private void Serve(Connection connection, uint events)
    {
        try
        {
            if ((events & Epoll.Out) != 0 && !Flush(connection))
            {
                Close(connection);
                return;
            }

            if (connection.Unsent is not null)
            {
                // Still blocked on a client that does not read: its next queries wait until it does.
                return;
            }

            if ((events & (Epoll.In | Epoll.ReadHangup | Epoll.Hangup | Epoll.Error)) != 0 && !ReadAndAnswer(connection))
            {
                Close(connection);
            }
        }
        catch (Exception e)
        {
            // A responder bug costs this connection, not the loop.
            ServerLog.ConnectionFailed(_logger, e, connection.Remote);
            Close(connection);
        }
    }

    /// <summary>One read, then every complete query in it answered; false when the connection must close.</summary>
    private bool ReadAndAnswer(Connection connection)
    {
        var read = SocketCalls.Receive(connection.Fd, connection.Input.Free.Span, out var errno);
        if (read < 0)
        {
            // Nothing there after all, or a signal first: epoll reports the connection again while data waits.
            return errno is SocketCalls.WouldBlock or SocketCalls.Interrupted;
        }

        if (read == 0)
        {
            return false;
        }

        connection.LastActive = _ticks;
        connection.Input.Advance(read);
        return AnswerPending(connection);
    }

    /// <summary>Answers the complete queries buffered, until they run out or the client stops taking answers.</summary>
    private bool AnswerPending(Connection connection)
    {
        while (true)
        {
            var batch = TcpFrames.Answer(connection.Input.Pending, _output, _responder, connection.Peer);
            connection.Input.Consume(batch.Consumed);
            if (batch.Written > 0 && !Send(connection, _output.AsSpan(0, batch.Written)))
            {
                return false;
            }

            if (batch.Close)
            {
                // The answers before the dropped message still go out, as far as the socket takes them now.
                return false;
            }

            if (connection.Unsent is not null)
            {
                return true; // the rest of the input waits until the client reads
            }

            if (batch.Needed == 0 && connection.Input.HasPending)
            {
                continue; // the output filled up before the input ran out
            }

            connection.Input.MakeRoomFor(batch.Needed);
            return true;
        }
    }

    /// <summary>Sends what the socket takes now and keeps the rest for when it becomes writable.</summary>
    private bool Send(Connection connection, ReadOnlySpan<byte> data)
    {
        var sent = SocketCalls.SendAvailable(connection.Fd, data);
        if (sent < 0)
        {
            return false;
        }

        data = data[sent..];
        if (data.IsEmpty)
        {
            return true;
        }

        var unsent = _unsentPool.Rent(_output.Length);
        data.CopyTo(unsent);
        connection.Unsent = unsent;
        connection.UnsentStart = 0;
        connection.UnsentEnd = data.Length;
        Epoll.Modify(_epoll, connection.Fd, Epoll.Out, (ulong)connection.Slot);
        return true;
    }

    /// <summary>Sends more of what a slow client left; once all is out, back to reading (the queries it sent meanwhile).</summary>
    private bool Flush(Connection connection)
    {
        var unsent = connection.Unsent;
        if (unsent is null)
        {
            return true;
        }

        var sent = SocketCalls.SendAvailable(connection.Fd, unsent.AsSpan(connection.UnsentStart, connection.UnsentEnd - connection.UnsentStart));
        if (sent < 0)
        {
            return false;
        }

        if (sent > 0)
        {
            connection.UnsentStart += sent;
            connection.LastActive = _ticks;
        }

        if (connection.UnsentStart < connection.UnsentEnd)
        {
            return true; // still full: wait until it is writable again
        }

        connection.Unsent = null;
        _unsentPool.Return(unsent);
        Epoll.Modify(_epoll, connection.Fd, ReadInterest, (ulong)connection.Slot);

        // Queries that arrived while the answers were stuck are already buffered: answer them now.
        return AnswerPending(connection);
    }

    private void CloseIdle()
    {
        // By index: closing a connection empties its slot.
        for (var i = 0; i < _slots.Count; i++)
        {
            if (_slots[i] is { } connection && _ticks - connection.LastActive >= _idleTicks)
            {
                Close(connection);
            }
        }
    }

    private void CloseAll()
    {
        for (var i = 0; i < _slots.Count; i++)
        {
            if (_slots[i] is { } connection)
            {
                FinishUnsent(connection);
                Close(connection);
            }
        }

        while (_arrivals.TryDequeue(out var client))
        {
            client.Dispose();
            _connections.Exit();
        }
    }

    /// <summary>At shutdown, answers already made still go out, bounded by the idle timeout as any send is.</summary>
    private void FinishUnsent(Connection connection)
    {
        if (connection.Unsent is not { } unsent)
        {
            return;
        }

        try
        {
            connection.Socket.Blocking = true;
            connection.Socket.SendTimeout = (int)Math.Clamp(_idleTimeout.TotalMilliseconds, 1, int.MaxValue);
            var data = unsent.AsSpan(connection.UnsentStart, connection.UnsentEnd - connection.UnsentStart);
            while (!data.IsEmpty)
            {
                var sent = connection.Socket.Send(data, SocketFlags.None, out var error);
                if (error != SocketError.Success || sent == 0)
                {
                    return;
                }

                data = data[sent..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client is gone: nothing left to deliver.
        }
    }

    private void Close(Connection connection)
    {
        if (_slots[connection.Slot - 1] != connection)
        {
            return;
        }

        _slots[connection.Slot - 1] = null;
        _freeSlots.Push(connection.Slot);
        if (--_open == 0)
        {
            Epoll.SetPeriod(_timer, 0); // nothing to time out: no wake-ups until a connection comes
        }

        Epoll.Remove(_epoll, connection.Fd);
        if (connection.Unsent is { } unsent)
        {
            connection.Unsent = null;
            _unsentPool.Return(unsent);
        }

        connection.Dispose();
        _connections.Exit();
    }

    private int AllocateSlot()
    {
        if (_freeSlots.TryPop(out var slot))
        {
            return slot;
        }

        _slots.Add(null);
        return _slots.Count; // slots are 1-based: data 0 is the wake-up eventfd
    }

    private sealed class Connection(Socket socket, int slot) : IDisposable
    {
        public Socket Socket { get; } = socket;

        /// <summary>Who is asking, for the query log; read from the socket once per connection.</summary>
        public DnsPeer Peer { get; } = new(socket.RemoteEndPoint);

        public int Slot { get; } = slot;

        // The descriptor as epoll knows it; read once (SafeHandle, not Socket.Handle, which marks the socket as exposed).
        public int Fd { get; } = (int)socket.SafeHandle.DangerousGetHandle();

        public TcpInputBuffer Input { get; } = new();

        public EndPoint? Remote => Socket.RemoteEndPoint;

        /// <summary>The loop's sweep count when the connection last read a query or took an answer.</summary>
        public long LastActive { get; set; }

        /// <summary>Answers the client has not taken yet, at <c>[UnsentStart, UnsentEnd)</c>.</summary>
        public byte[]? Unsent { get; set; }

        public int UnsentStart { get; set; }

        public int UnsentEnd { get; set; }

        public void Dispose()
        {
            Socket.Dispose();
            Input.Dispose();
        }
    }
}
