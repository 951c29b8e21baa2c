using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace DnsMcs.Server;

/// <summary>
/// Linux recvmmsg/sendmmsg and shutdown, the calls <see cref="UdpBatchLoop"/> needs. Headers travel in byte buffers laid
/// out as LP64 Linux's <c>struct mmsghdr</c> and <c>struct iovec</c> (64-bit processes only; elsewhere the loop is not used).
/// </summary>
internal static partial class RecvMmsg
{
    /// <summary>Bytes of <c>struct mmsghdr</c>: a 56-byte <c>struct msghdr</c>, then <c>msg_len</c> and padding.</summary>
    public const int HeaderSize = 64;

    /// <summary>Bytes of <c>struct iovec</c>.</summary>
    public const int IovecSize = 16;

    public const int NameOffset = 0;
    public const int NameLengthOffset = 8;
    public const int IovOffset = 16;
    public const int IovLengthOffset = 24;
    public const int FlagsOffset = 48;
    public const int LengthOffset = 56;

    /// <summary>MSG_WAITFORONE: block for the first datagram, then take only what is already queued.</summary>
    public const int WaitForOne = 0x10000;

    public const int Interrupted = 4; // EINTR

    private const int ShutdownBoth = 2; // SHUT_RDWR

    /// <summary>Whether the header layout above is this process's (64-bit Linux).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Wakes a thread blocked in a receive on <paramref name="fd"/>; later receives return 0 at once.</summary>
    public static void Shutdown(int fd) => _ = shutdown(fd, ShutdownBoth); // ENOTCONN on an unconnected socket, but it still wakes

    /// <summary>Number of datagrams received, or -1 with <paramref name="errno"/> set.</summary>
    public static int Receive(int fd, nint headers, int count, out int errno)
    {
        var received = recvmmsg(fd, headers, (uint)count, WaitForOne, 0);
        errno = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        return received;
    }

    /// <summary>Number of datagrams sent from the first, or -1 with <paramref name="errno"/> set (the first failed).</summary>
    public static int Send(int fd, nint headers, int count, out int errno)
    {
        var sent = sendmmsg(fd, headers, (uint)count, 0);
        errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
        return sent;
    }

    /// <summary>The <see cref="SocketError"/> the managed socket API reports for a Linux errno a datagram call can return.</summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        11 => SocketError.WouldBlock, // EAGAIN
        90 => SocketError.MessageSize, // EMSGSIZE
        101 => SocketError.NetworkUnreachable, // ENETUNREACH
        104 => SocketError.ConnectionReset, // ECONNRESET
        105 => SocketError.NoBufferSpaceAvailable, // ENOBUFS
        111 => SocketError.ConnectionRefused, // ECONNREFUSED: an ICMP port unreachable for an earlier reply
        113 => SocketError.HostUnreachable, // EHOSTUNREACH
        1 or 13 => SocketError.AccessDenied, // EPERM (a firewall), EACCES
        9 => SocketError.NotSocket, // EBADF
        22 => SocketError.InvalidArgument, // EINVAL
        _ => SocketError.SocketError,
    };

    [DllImport("libc", SetLastError = true)]
    private static extern int recvmmsg(int sockfd, nint msgvec, uint vlen, int flags, nint timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern int sendmmsg(int sockfd, nint msgvec, uint vlen, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int shutdown(int sockfd, int how);
}
