using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace DnsMcs.Server;

/// <summary>
/// One TCP client (RFC 7766): reads what has arrived, answers every complete query in it in order, sends the answers
/// in one write, and reads again. Closes when the client does, after <see cref="ServerOptions.TcpIdleTimeout"/>
/// without a query, when the responder drops a message, or at shutdown once the queries already read are answered.
/// Two ways to drive it: <see cref="Run"/> on a thread of its own with blocking calls (one wake-up and two system
/// calls per batch, nothing else: the cheap way at the rates clusters see), or <see cref="RunAsync"/> on the thread
/// pool for connections beyond <see cref="ServerOptions.DedicatedTcpThreads"/>.
/// </summary>
internal sealed class TcpDnsConnection : IDisposable
{
    // Most queries are well under 512 bytes; the buffer grows only for a client that really sends a bigger frame.
    private const int InitialInputBytes = 4096;

    // A power of two (ArrayPool bucket) that holds one largest answer plus many ordinary ones, so a pipelined burst
    // is usually answered with one send.
    private const int OutputBytes = 1 << 17;

    private readonly Socket _socket;
    private readonly IPacketResponder _responder;
    private readonly TimeSpan _idleTimeout;

    // Reads end on the idle timer or at shutdown; writes only on the timer, so shutdown never cuts an answer short.
    private readonly CancellationTokenSource _readCancellation;
    private readonly CancellationTokenSource _writeCancellation = new();

    private byte[] _input;
    private int _start;
    private int _end;

    public TcpDnsConnection(Socket socket, IPacketResponder responder, TimeSpan idleTimeout, CancellationToken shutdown)
    {
        _socket = socket;
        _responder = responder;
        _idleTimeout = idleTimeout;
        _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        _input = ArrayPool<byte>.Shared.Rent(InitialInputBytes);
    }

    /// <summary>
    /// The blocking loop, for a thread of its own. The idle timeout is the socket's own (SO_RCVTIMEO/SO_SNDTIMEO) and
    /// shutdown arrives as <see cref="StopReading"/>, so the loop waits in the kernel and nowhere else.
    /// </summary>
    public void Run()
    {
        var timeout = _idleTimeout >= TimeSpan.FromMilliseconds(int.MaxValue) ? 0 : Math.Max(1, (int)Math.Ceiling(_idleTimeout.TotalMilliseconds));
        _socket.ReceiveTimeout = timeout;
        _socket.SendTimeout = timeout;
        while (true)
        {
            // The non-throwing overload: a timeout or a reset is an ordinary way for a connection to end.
            var read = _socket.Receive(_input.AsSpan(_end), SocketFlags.None, out var error);
            if (error != SocketError.Success || read == 0)
            {
                return;
            }

            _end += read;
            if (!AnswerBuffered())
            {
                return;
            }

            if (_readCancellation.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Ends a blocked <see cref="Run"/> read (the read sees end of stream); the queries already read are still answered.</summary>
    public void StopReading()
    {
        try
        {
            _readCancellation.Cancel();
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the client or by the loop itself: nothing is left to stop.
        }
    }

    public async Task RunAsync()
    {
        while (true)
        {
            int read;
            try
            {
                _readCancellation.CancelAfter(_idleTimeout);
                read = await _socket.ReceiveAsync(_input.AsMemory(_end), SocketFlags.None, _readCancellation.Token).ConfigureAwait(false);
                if (!_readCancellation.TryReset())
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // Reset by the peer, or similar: nothing left to answer to.
                return;
            }

            if (read == 0)
            {
                return;
            }

            _end += read;
            if (!await AnswerBufferedAsync().ConfigureAwait(false))
            {
                return;
            }

            if (_readCancellation.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _readCancellation.Dispose();
        _writeCancellation.Dispose();
        var input = _input;
        _input = [];
        if (input.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>Answers every complete frame buffered, with blocking sends; returns false when the connection must close.</summary>
    private bool AnswerBuffered()
    {
        byte[]? output = null;
        try
        {
            while (true)
            {
                output ??= ArrayPool<byte>.Shared.Rent(OutputBytes);
                var batch = TcpFrames.Answer(_input.AsSpan(_start, _end - _start), output, _responder);
                _start += batch.Consumed;
                if (batch.Written > 0 && !Send(output.AsSpan(0, batch.Written)))
                {
                    return false;
                }

                if (batch.Close)
                {
                    return false;
                }

                if (batch.Needed == 0 && _start < _end)
                {
                    continue; // the output filled up before the input ran out
                }

                MakeRoomFor(batch.Needed);
                return true;
            }
        }
        finally
        {
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }

    private bool Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            // SO_SNDTIMEO ends a send to a client that stopped reading: it does not get to hold the connection open.
            var sent = _socket.Send(data, SocketFlags.None, out var error);
            if (error != SocketError.Success || sent == 0)
            {
                return false;
            }

            data = data[sent..];
        }

        return true;
    }

    /// <summary>Answers every complete frame buffered; returns false when the connection must close.</summary>
    // Sends often complete asynchronously; pooling the state machine keeps the read cycle allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AnswerBufferedAsync()
    {
        byte[]? output = null;
        try
        {
            while (true)
            {
                output ??= ArrayPool<byte>.Shared.Rent(OutputBytes);
                var batch = TcpFrames.Answer(_input.AsSpan(_start, _end - _start), output, _responder);
                _start += batch.Consumed;
                if (batch.Written > 0 && !await SendAsync(output.AsMemory(0, batch.Written)).ConfigureAwait(false))
                {
                    return false;
                }

                if (batch.Close)
                {
                    return false;
                }

                if (batch.Needed == 0 && _start < _end)
                {
                    continue; // the output filled up before the input ran out
                }

                MakeRoomFor(batch.Needed);
                return true;
            }
        }
        finally
        {
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }

    /// <summary>Keeps the unanswered bytes and makes sure the next frame (of <paramref name="needed"/> bytes) fits behind them.</summary>
    private void MakeRoomFor(int needed)
    {
        var pending = _end - _start;
        if (pending == 0)
        {
            _start = _end = 0;
            return;
        }

        if (_start + needed <= _input.Length)
        {
            return;
        }

        var target = _input;
        if (needed > _input.Length)
        {
            target = ArrayPool<byte>.Shared.Rent(needed);
        }

        _input.AsSpan(_start, pending).CopyTo(target);
        if (!ReferenceEquals(target, _input))
        {
            ArrayPool<byte>.Shared.Return(_input);
            _input = target;
        }

        _start = 0;
        _end = pending;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            _writeCancellation.CancelAfter(_idleTimeout);
            while (!data.IsEmpty)
            {
                var sent = await _socket.SendAsync(data, SocketFlags.None, _writeCancellation.Token).ConfigureAwait(false);
                data = data[sent..];
            }

            return _writeCancellation.TryReset();
        }
        catch (OperationCanceledException)
        {
            // The client stopped reading: it does not get to hold the connection open.
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
