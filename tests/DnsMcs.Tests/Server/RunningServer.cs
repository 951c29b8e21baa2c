using System.Net;
using System.Net.Sockets;
using DnsMcs.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Tests.Server;

/// <summary>A <see cref="DnsServer"/> with an <see cref="EchoResponder"/> on a free loopback port, plus client helpers.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    // Safety net only: nothing here should take more than a fraction of it.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private bool _stopped;

    private RunningServer(DnsServer server, EchoResponder responder)
    {
        Server = server;
        Responder = responder;
        Endpoint = server.BoundEndpoints[0];
    }

    public DnsServer Server { get; }

    public EchoResponder Responder { get; }

    public IPEndPoint Endpoint { get; }

    public static async Task<RunningServer> StartAsync(TimeSpan? idleTimeout = null, int maxConnections = 100, bool tcpEventLoop = true)
    {
        var responder = new EchoResponder();
        var options = new ServerOptions
        {
            Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
            UdpSocketsPerEndpoint = 2,
            TcpIdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(30),
            MaxTcpConnections = maxConnections,
            TcpEventLoop = tcpEventLoop,
        };
        var server = new DnsServer(options, responder, NullLogger<DnsServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        return new RunningServer(server, responder);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(Patience);
            await Server.StopAsync(timeout.Token);
            Server.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public async Task<byte[]> QueryUdpAsync(byte[] query)
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(Endpoint);
        await client.SendAsync(query);
        using var timeout = new CancellationTokenSource(Patience);
        var result = await client.ReceiveAsync(timeout.Token);
        return result.Buffer;
    }

    public async Task<Socket> ConnectTcpAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Endpoint);
        return socket;
    }

    /// <summary>Prefixes each message with its two-byte length (RFC 1035 §4.2.2).</summary>
    public static byte[] Frame(params byte[][] messages)
    {
        var frames = new List<byte>();
        foreach (var message in messages)
        {
            frames.Add((byte)(message.Length >> 8));
            frames.Add((byte)message.Length);
            frames.AddRange(message);
        }

        return [.. frames];
    }

    /// <summary>Reads one length-prefixed message, or null when the server closed the connection first.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Socket socket)
    {
        var prefix = await ReadExactlyAsync(socket, 2);
        if (prefix is null)
        {
            return null;
        }

        return await ReadExactlyAsync(socket, (prefix[0] << 8) | prefix[1]);
    }

    /// <summary>True when the server closes (or resets) the connection before sending anything more.</summary>
    public static async Task<bool> IsClosedByServerAsync(Socket socket)
    {
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    private static async Task<byte[]?> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = new CancellationTokenSource(Patience);
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        return buffer;
    }
}
