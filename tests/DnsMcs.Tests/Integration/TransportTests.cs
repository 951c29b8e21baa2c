using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Tests.Integration;

/// <summary>UDP size limits and truncation, EDNS, and packets no honest client sends, against the real process.</summary>
[Collection(ServerCollection.Name)]
public sealed class TransportTests(ServerFixture server)
{
    private const string Big = "big.data.svc.clusterset.local";

    public static TheoryData<string, string[]> TruncatingQueries => new()
    {
        { "without EDNS (512 bytes)", ["+noedns"] },
        { "with EDNS at our 1232", ["+edns=0", "+bufsize=1232"] },
        { "with EDNS at 4096, capped to our 1232", ["+edns=0", "+bufsize=4096"] },
    };

    [Theory]
    [MemberData(nameof(TruncatingQueries))]
    public async Task Udp_AnswerTooBig_TruncatedWithNoRecords(string why, string[] options)
    {
        var result = await server.DigAsync(Big, "A", [.. options, "+ignore"]);

        Assert.True(result.HasFlag("tc"), $"{why}: expected TC\n{result}");
        Assert.Equal("NOERROR", result.Status);
        Assert.Empty(result.Answer);
        Assert.Equal("UDP", result.Transport);
    }

    [Theory]
    [MemberData(nameof(TruncatingQueries))]
    public async Task Udp_AnswerTooBig_DigRetriesOverTcpAndGetsEveryRecord(string why, string[] options)
    {
        var result = await server.DigAsync(Big, "A", options);

        Assert.True(result.RetriedOverTcp, $"{why}: expected a TCP retry\n{result}");
        Assert.Equal("TCP", result.Transport);
        Assert.False(result.HasFlag("tc"), result.ToString());
        Assert.Equal(FixtureManifests.BigEndpoints, result.Answer.Count);
        Assert.Equal(
            Enumerable.Range(1, FixtureManifests.BigEndpoints).Select(i => $"{Big}. 5 IN A 10.3.0.{i}").Order(StringComparer.Ordinal),
            result.Answer.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Tcp_LargeSrvAnswer_ArrivesWholeWithAdditionals()
    {
        var result = await server.DigAsync($"_http._tcp.{Big}", "SRV", "+tcp");

        Assert.Equal("NOERROR", result.Status);
        Assert.Equal(FixtureManifests.BigEndpoints, result.Answer.Count);
        Assert.Contains($"_http._tcp.{Big}. 5 IN SRV 0 1 80 10-3-0-7.cluster-a.{Big}.", result.Answer);
        Assert.Contains($"10-3-0-7.cluster-a.{Big}. 5 IN A 10.3.0.7", result.Additional);
    }

    [Fact]
    public async Task Edns_Version0_OptInReplyWithOurPayloadSize()
    {
        var result = await server.DigAsync("web.shop.svc.clusterset.local", "A", "+edns=0", "+bufsize=4096");

        Assert.Equal("NOERROR", result.Status);
        Assert.NotNull(result.Edns);
        Assert.Matches(@"^version: 0, flags:.*; udp: 1232$", result.Edns);
    }

    [Fact]
    public async Task Edns_NoOptInQuery_NoOptInReply()
    {
        var result = await server.DigAsync("web.shop.svc.clusterset.local", "A", "+noedns");

        Assert.Equal("NOERROR", result.Status);
        Assert.Null(result.Edns);
        Assert.Single(result.Answer);
    }

    public static TheoryData<string> Transports => new() { "udp", "tcp" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Edns_Version1_Badvers(string transport)
    {
        string[] options = transport == "tcp" ? ["+edns=1", "+noednsneg", "+tcp"] : ["+edns=1", "+noednsneg"];

        var result = await server.DigAsync("web.shop.svc.clusterset.local", "A", options);

        Assert.Equal("BADVERS", result.Status);
        Assert.Empty(result.Answer);
        Assert.NotNull(result.Edns);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "garbage shorter than a header", [0xDE, 0xAD, 0xBE, 0xEF, 0x01] },
        { "a header announcing a question that is not there", DnsPackets.HeaderOnly(0x0B0B) },
        { "a response (QR=1)", DnsPackets.Response(0x0C0C, "web.shop.svc.clusterset.local") },
        { "a name whose compression pointer points at itself", [0x0D, 0x0D, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1] },
        { "an empty datagram", [] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Udp_MalformedPacket_NextGoodQueryAnswered(string why, byte[] packet)
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(new IPEndPoint(IPAddress.Loopback, server.Port));
        var good = DnsPackets.Query(0x600D, "web.shop.svc.clusterset.local", DnsPackets.TypeA);

        await client.SendAsync(packet);
        await client.SendAsync(good);

        // Whatever the bad packet drew (FORMERR or nothing), the good query is answered; never with an answer to the bad one.
        using var timeout = new CancellationTokenSource(DnsMcsProcess.Patience);
        while (true)
        {
            var reply = (await client.ReceiveAsync(timeout.Token)).Buffer;
            if (DnsPackets.Id(reply) == 0x600D)
            {
                Assert.Equal(0, DnsPackets.ResponseCode(reply));
                Assert.Equal(1, DnsPackets.AnswerCount(reply));
                break;
            }

            Assert.True(DnsPackets.ResponseCode(reply) == 1, $"{why}: only FORMERR may answer a malformed packet, got rcode {DnsPackets.ResponseCode(reply)}");
        }

        Assert.Equal("NOERROR", (await server.DigAsync("web.shop.svc.clusterset.local", "A")).Status);
    }

    [Fact]
    public async Task Udp_HeaderWithoutQuestion_Formerr()
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(new IPEndPoint(IPAddress.Loopback, server.Port));

        await client.SendAsync(DnsPackets.HeaderOnly(0x0B0B));

        using var timeout = new CancellationTokenSource(DnsMcsProcess.Patience);
        var reply = (await client.ReceiveAsync(timeout.Token)).Buffer;
        Assert.Equal(0x0B0B, DnsPackets.Id(reply));
        Assert.Equal(1, DnsPackets.ResponseCode(reply));
    }

    [Fact]
    public async Task Udp_ResponsePacket_DroppedAndNextQueryAnswered()
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(new IPEndPoint(IPAddress.Loopback, server.Port));

        // Same socket, same server socket (SO_REUSEPORT hashes the 4-tuple), so replies keep the send order:
        // if the QR=1 packet drew any reply, it would arrive first.
        await client.SendAsync(DnsPackets.Response(0x0C0C, "web.shop.svc.clusterset.local"));
        await client.SendAsync(DnsPackets.Query(0x600D, "web.shop.svc.clusterset.local", DnsPackets.TypeA));

        using var timeout = new CancellationTokenSource(DnsMcsProcess.Patience);
        var reply = (await client.ReceiveAsync(timeout.Token)).Buffer;
        Assert.Equal(0x600D, DnsPackets.Id(reply));
    }

    [Fact]
    public async Task Tcp_PipelinedWithMalformedInBetween_EachAnsweredInOrderOnOneConnection()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));

        await socket.SendAsync(DnsPackets.Frame(
            DnsPackets.Query(1, "web.shop.svc.clusterset.local", DnsPackets.TypeA),
            DnsPackets.HeaderOnly(2),
            DnsPackets.Query(3, "nope.shop.svc.clusterset.local", DnsPackets.TypeA),
            DnsPackets.Query(4, "example.com", DnsPackets.TypeA)));

        var replies = new List<(ushort Id, int Rcode)>();
        for (var i = 0; i < 4; i++)
        {
            var reply = await ReadFrameAsync(socket);
            Assert.NotNull(reply);
            replies.Add((DnsPackets.Id(reply), DnsPackets.ResponseCode(reply)));
        }

        Assert.Equal([(1, 0), (2, 1), (3, 3), (4, 5)], replies);
    }

    [Fact]
    public async Task Tcp_MessageTooShortForAHeader_ConnectionClosed()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));

        await socket.SendAsync(DnsPackets.Frame(DnsPackets.Query(1, "web.shop.svc.clusterset.local", DnsPackets.TypeA), [1, 2, 3]));

        var first = await ReadFrameAsync(socket);
        Assert.NotNull(first);
        Assert.Equal(1, DnsPackets.Id(first));
        Assert.Null(await ReadFrameAsync(socket));
    }

    private static async Task<byte[]?> ReadFrameAsync(Socket socket)
    {
        var prefix = await ReadExactlyAsync(socket, 2);
        return prefix is null ? null : await ReadExactlyAsync(socket, (prefix[0] << 8) | prefix[1]);
    }

    private static async Task<byte[]?> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(DnsMcsProcess.Patience);
        for (var read = 0; read < count;)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        return buffer;
    }
}
