using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace DnsMcs.Server;

/// <summary>
/// One TCP client (RFC 7766): reads what has arrived, answers every complete query in it in order, sends the answers
/// in one write, and reads again. Closes when the client does, after <see cref="ServerOptions.TcpIdleTimeout"/>
/// without a query, when the responder drops a message, or at shutdown once the queries already read are answered.
/// On Linux, <see cref="TcpEventLoop"/> serves connections; this thread-pool path is for other systems.
/// </summary>
internal sealed class TcpDnsConnection : IDisposable
{
    // A power of two (ArrayPool bucket) that holds one largest answer plus many ordinary ones, so a pipelined burst
    // is usually answered with one send.
    public const int OutputBytes = 1 << 17;

    private readonly Socket _socket;
    private readonly IPacketResponder _responder;
    private readonly DnsPeer _peer;
    private readonly TimeSpan _idleTimeout;

    // Reads end on the idle timer or at shutdown; writes only on the timer, so shutdown never cuts an answer short.
    private readonly CancellationTokenSource _readCancellation;
    private readonly CancellationTokenSource _writeCancellation = new();

    private readonly TcpInputBuffer _input = new();

    public TcpDnsConnection(Socket socket, IPacketResponder responder, TimeSpan idleTimeout, CancellationToken shutdown)
    {
        _socket = socket;
        _responder = responder;
        _peer = new DnsPeer(socket.RemoteEndPoint);
        _idleTimeout = idleTimeout;
        _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    public async Task RunAsync()
    {
        while (true)
        {
            int read;
            try
            {
                _readCancellation.CancelAfter(_idleTimeout);
                read = await _socket.ReceiveAsync(_input.Free, SocketFlags.None, _readCancellation.Token).ConfigureAwait(false);
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

            _input.Advance(read);
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
        _input.Dispose();
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
                var batch = TcpFrames.Answer(_input.Pending, output, _responder, _peer);
                _input.Consume(batch.Consumed);
                if (batch.Written > 0 && !await SendAsync(output.AsMemory(0, batch.Written)).ConfigureAwait(false))
                {
                    return false;
                }

                if (batch.Close)
                {
                    return false;
                }

                if (batch.Needed == 0 && _input.HasPending)
                {
                    continue; // the output filled up before the input ran out
                }

                _input.MakeRoomFor(batch.Needed);
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
