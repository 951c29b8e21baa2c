using System.Runtime.InteropServices;

namespace DnsMcs.Server;

/// <summary>
/// Linux <c>recv</c> and <c>send</c> on a non-blocking descriptor, for <see cref="TcpEventLoop"/>, whose one thread is
/// the only user of its connections' descriptors and the one that closes them. <see cref="System.Net.Sockets.Socket"/>'s
/// calls add a SafeHandle reference count and an error translation to each: about a quarter of a microsecond per query
/// at 20k qps over TCP (perf, native AOT), a tenth of what the server spends above the kernel's own cost.
/// </summary>
internal static class SocketCalls
{
    /// <summary>EAGAIN, which is EWOULDBLOCK on Linux: nothing to read, or no room to send, now.</summary>
    public const int WouldBlock = 11;

    /// <summary>EINTR: a signal came first; the call did nothing and may be made again.</summary>
    public const int Interrupted = 4;

    private const int NoSignal = 0x4000; // MSG_NOSIGNAL: a closed peer is an EPIPE, never a SIGPIPE

    /// <summary>Bytes read (0: the peer closed its side), or -1 with <paramref name="errno"/> set.</summary>
    public static int Receive(int fd, Span<byte> buffer, out int errno)
    {
        var read = recv(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length, 0);
        errno = read < 0 ? Marshal.GetLastPInvokeError() : 0;
        return (int)read;
    }

    /// <summary>Bytes the socket took (possibly fewer than given), or -1 with <paramref name="errno"/> set.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> data, out int errno)
    {
        var sent = send(fd, ref MemoryMarshal.GetReference(data), data.Length, NoSignal);
        errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
        return (int)sent;
    }

    /// <summary>
    /// Sends as much of <paramref name="data"/> as the socket takes now (again after a signal): the bytes taken, fewer
    /// than given when its buffer filled, or -1 when the connection failed.
    /// </summary>
    public static int SendAvailable(int fd, ReadOnlySpan<byte> data)
    {
        var total = 0;
        while (total < data.Length)
        {
            var sent = Send(fd, data[total..], out var errno);
            if (sent >= 0)
            {
                total += sent;
            }
            else if (errno != Interrupted)
            {
                return errno == WouldBlock ? total : -1;
            }
        }

        return total;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint recv(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint send(int fd, ref byte buffer, nint length, int flags);
}
