using System.Net.Sockets;

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
}
