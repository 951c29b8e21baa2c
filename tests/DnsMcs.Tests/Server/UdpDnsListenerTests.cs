using System.Net;
using System.Net.Sockets;
using DnsMcs.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Tests.Server;

public sealed class UdpDnsListenerTests
{
    private static readonly byte[] Query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];

    public static TheoryData<int> Sizes => new() { 1, 12, 512, 1232, 4000 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Receive_Datagram_AnswersWhatTheResponderWrote(int size)
    {
        await using var server = await RunningServer.StartAsync();
        var query = new byte[size];
        Random.Shared.NextBytes(query);
        query[0] = 0x01;

        var answer = await server.QueryUdpAsync(query);

        Assert.Equal(EchoResponder.Expected(query), answer);
    }

    public static TheoryData<byte[]> Poison => new()
    {
        new byte[] { EchoResponder.Throw, 0, 0, 0 },
        new byte[] { EchoResponder.Drop, 0, 0, 0 },
        Array.Empty<byte>(),
    };

    [Theory]
    [MemberData(nameof(Poison))]
    public async Task Receive_PacketTheResponderRejects_NextQueryStillAnswered(byte[] poison)
    {
        await using var server = await RunningServer.StartAsync();
        using (var client = new UdpClient(AddressFamily.InterNetwork))
        {
            // Enough to reach every socket of the SO_REUSEPORT group whatever the kernel's hashing does.
            for (var i = 0; i < 20; i++)
            {
                client.Connect(server.Endpoint);
                await client.SendAsync(poison);
            }
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(EchoResponder.Expected(Query), await server.QueryUdpAsync(Query));
        }
    }

    [Fact]
    public async Task Receive_ReplyToClosedPort_LoopSurvivesTheIcmpError()
    {
        await using var server = await RunningServer.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            // The client is gone before the reply arrives: the reply draws an ICMP port unreachable.
            using var gone = new UdpClient(AddressFamily.InterNetwork);
            gone.Connect(server.Endpoint);
            await gone.SendAsync(Query);
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(EchoResponder.Expected(Query), await server.QueryUdpAsync(Query));
        }
    }

    // Another program's SO_REUSEPORT socket on the port, of the same user and with no TCP beside it (a test's listener
    // once did this to a dnsmcs process under test): the kernel would let our group join it, and each side would
    // answer part of the other's queries. Refused at bind, as a TCP port in use is.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Bind_PortHeldByAnotherReusePortSocket_FailsInsteadOfSharingIt(int sockets)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // SO_REUSEPORT groups are Linux's
        }

        using var foreign = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        foreign.SetRawSocketOption(1, 15, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEPORT
        foreign.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var error = Assert.Throws<ListenerBindException>(() => UdpDnsListener.Bind((IPEndPoint)foreign.LocalEndPoint!, sockets, new EchoResponder(), NullLogger.Instance));

        Assert.Contains("the port is already in use", error.Message, StringComparison.Ordinal);
    }
}
