using System.Net;
using System.Net.Sockets;
using DnsMcs.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Tests.Server;

public sealed class DnsServerTests
{
    private static readonly byte[] Query = [0x00, 0x01, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];

    [Fact]
    public async Task StartAsync_PortZero_UdpAndTcpShareTheChosenPort()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.NotEqual(0, server.Endpoint.Port);
        Assert.Equal(EchoResponder.Expected(Query), await server.QueryUdpAsync(Query));
        using var socket = await server.ConnectTcpAsync();
        await socket.SendAsync(RunningServer.Frame(Query));
        Assert.Equal(EchoResponder.Expected(Query), await RunningServer.ReadFrameAsync(socket));
    }

    public static TheoryData<ProtocolType> Occupiers => new() { ProtocolType.Tcp, ProtocolType.Udp };

    [Theory]
    [MemberData(nameof(Occupiers))]
    public async Task StartAsync_PortInUse_ThrowsBindExceptionNamingTheEndpoint(ProtocolType occupier)
    {
        using var taken = occupier == ProtocolType.Tcp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (occupier == ProtocolType.Tcp)
        {
            taken.Listen();
        }

        var endpoint = (IPEndPoint)taken.LocalEndPoint!;
        using var server = new DnsServer(
            new ServerOptions { Listen = [endpoint], UdpSocketsPerEndpoint = 2 },
            new EchoResponder(),
            NullLogger<DnsServer>.Instance);

        var error = await Assert.ThrowsAsync<ListenerBindException>(() => server.StartAsync(CancellationToken.None));

        Assert.Contains(endpoint.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SecondEndpointFails_FirstIsReleased()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var free = FreePort();
        using var server = new DnsServer(
            new ServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, free), (IPEndPoint)taken.LocalEndPoint!] },
            new EchoResponder(),
            NullLogger<DnsServer>.Instance);

        await Assert.ThrowsAsync<ListenerBindException>(() => server.StartAsync(CancellationToken.None));

        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, free));
    }

    [Fact]
    public async Task StopAsync_IdleConnectionOpen_ClosesItAndCompletes()
    {
        var server = await RunningServer.StartAsync();
        using var socket = await server.ConnectTcpAsync();
        await socket.SendAsync(RunningServer.Frame(Query));
        Assert.Equal(EchoResponder.Expected(Query), await RunningServer.ReadFrameAsync(socket));

        await server.StopAsync();

        Assert.True(await RunningServer.IsClosedByServerAsync(socket));
        Assert.Equal(0, server.Server.OpenTcpConnections);
    }

    [Fact]
    public async Task StopAsync_Stopped_PortsReleased()
    {
        var server = await RunningServer.StartAsync();
        Assert.Equal(EchoResponder.Expected(Query), await server.QueryUdpAsync(Query));

        await server.StopAsync();

        // Without SO_REUSEPORT these binds fail while any listen socket of the server is still open.
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(server.Endpoint);
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(server.Endpoint);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
