using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Server;

/// <summary>Creates and binds the listen sockets, translating bind failures into <see cref="ListenerBindException"/>.</summary>
internal static class ListenSocketFactory
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    // Room for bursts while a loop is busy; the kernel silently caps this at net.core.rmem_max.
    private const int UdpReceiveBufferBytes = 1 << 20;

    /// <summary>A UDP socket; with <paramref name="reusePort"/> several sockets share the port and the kernel spreads datagrams across them.</summary>
    public static Socket BindUdp(IPEndPoint endpoint, bool reusePort)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            PrepareFamily(socket, endpoint);
            if (reusePort && OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }

            socket.ReceiveBufferSize = UdpReceiveBufferBytes;
            socket.Bind(endpoint);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw ListenerBindException.From("UDP", endpoint, e);
        }
    }

    /// <summary>A listening TCP socket. No SO_REUSEPORT here, so a second server on the same port fails loudly at bind.</summary>
    public static Socket BindTcp(IPEndPoint endpoint, int backlog)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            PrepareFamily(socket, endpoint);
            socket.Bind(endpoint);
            socket.Listen(backlog);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw ListenerBindException.From("TCP", endpoint, e);
        }
    }

    private static void PrepareFamily(Socket socket, IPEndPoint endpoint)
    {
        // [::]:53 must not claim IPv4 too, or the default pair 0.0.0.0:53 + [::]:53 collides.
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }
    }
}
