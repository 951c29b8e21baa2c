using System.Buffers.Binary;
using DnsMcs.Dns;
using static DnsMcs.Zone.Tests.ClusterSetFixture;

namespace DnsMcs.Zone.Tests;

/// <summary>The transport rules: EDNS0, truncation, malformed packets, opcodes, classes, the sync gate.</summary>
public sealed class ResponderProtocolTests
{
    private static readonly ClusterSetIndex Index = Standard();

    [Theory]
    [InlineData(4096, 1232)]
    [InlineData(1232, 1232)]
    [InlineData(512, 1232)]
    [InlineData(100, 1232)]
    public void Respond_EdnsQuery_RepliesWithOptAndOurPayloadSize(ushort clientSize, ushort expected)
    {
        var reply = Ask(Index, "web.shop.svc.clusterset.local.", DnsRecordType.A, edns: true, udpSize: clientSize);

        Assert.Equal(DnsResponseCode.NoError, reply.ResponseCode);
        Assert.NotNull(reply.Opt);
        Assert.Equal(expected, reply.Opt.UdpPayloadSize);
        Assert.Equal(0, reply.Opt.Version);
        Assert.Single(reply.Answers);
    }

    [Fact]
    public void Respond_EdnsWithDnssecOk_CopiesDoBit()
    {
        var query = DnsMessage.CreateQuery("web.shop.svc.clusterset.local.", DnsRecordType.A, 7, edns: true, dnssecOk: true).ToWire();
        var reply = Ask(new DnsResponder(Index), query);

        Assert.True(reply.Opt!.DnssecOk);
    }

    [Fact]
    public void Respond_EdnsVersion1_RepliesBadVersWithOpt()
    {
        var message = DnsMessage.CreateQuery("web.shop.svc.clusterset.local.", DnsRecordType.A, 7, edns: true);
        message.Opt!.Version = 1;
        var reply = Ask(new DnsResponder(Index), message.ToWire());

        Assert.Equal(DnsResponseCode.BadVers, reply.ResponseCode);
        Assert.Equal(0, reply.Opt!.Version);
        Assert.Empty(reply.Answers);
    }

    [Fact]
    public void Respond_NoEdns_RepliesWithoutOpt()
    {
        var reply = Ask(Index, "nope.clusterset.local.", DnsRecordType.A);

        Assert.Null(reply.Opt);
        Assert.Equal(DnsResponseCode.NXDomain, reply.ResponseCode);
    }

    [Theory]
    [InlineData(DnsTransport.Udp, false, 0, true)]
    [InlineData(DnsTransport.Udp, true, 1232, true)]
    [InlineData(DnsTransport.Udp, true, 4096, true)]
    [InlineData(DnsTransport.Tcp, false, 0, false)]
    [InlineData(DnsTransport.Tcp, true, 512, false)]
    public void Respond_LargeHeadlessAnswer_TruncatesOnlyWhenItDoesNotFit(DnsTransport transport, bool edns, ushort size, bool truncated)
    {
        // 100 A records: 47 + 1600 bytes, more than 512 and more than our 1232.
        var index = LargeHeadless(endpoints: 100);
        var responder = new DnsResponder(index);
        var query = Query("big.data.svc.clusterset.local.", DnsRecordType.A, edns, size);
        var buffer = new byte[65535];

        var response = responder.Respond(query, buffer, transport);
        var reply = DnsOracle.Decode(buffer.AsSpan(0, response.Length));

        var limit = transport == DnsTransport.Tcp ? 65535 : edns ? Math.Min((int)size, 1232) : 512;
        Assert.True(response.Length <= limit);
        Assert.Equal(truncated, reply.Truncated);
        Assert.Equal(truncated, response.Truncated);
        Assert.Equal(truncated ? 0 : 100, reply.Answers.Count);
        Assert.Single(reply.Questions);
        Assert.Equal(edns, reply.Opt is not null);
    }

    [Fact]
    public void Respond_LargeHeadlessOverEdns4096_FitsInOurPayloadSize()
    {
        // 60 A records of a 29-byte name compress to 16 bytes each: 47 + 960 + 11 bytes fit in 1232.
        var reply = Ask(LargeHeadless(60), "big.data.svc.clusterset.local.", DnsRecordType.A, edns: true, udpSize: 4096);

        Assert.False(reply.Truncated);
        Assert.Equal(60, reply.Answers.Count);
    }

    public static TheoryData<string, byte[], DnsResponseCode?> MalformedPackets() => new()
    {
        { "11 bytes", new byte[11], null },
        { "a response (QR=1)", Header(qr: true, qd: 1), null },
        { "no question", Header(qd: 0), DnsResponseCode.FormErr },
        { "two questions", [.. Header(qd: 2), .. Question("a.clusterset.local."), .. Question("b.clusterset.local.")], DnsResponseCode.FormErr },
        { "truncated question", [.. Header(qd: 1), 3, (byte)'w', (byte)'e'], DnsResponseCode.FormErr },
        { "compressed question name", [.. Header(qd: 1), 0xC0, 0x0C, 0, 1, 0, 1], DnsResponseCode.FormErr },
        { "label longer than 63", [.. Header(qd: 1), 64, .. new byte[64], 0, 0, 1, 0, 1], DnsResponseCode.FormErr },
        { "NOTIFY opcode", Header(opcode: 4, qd: 1), DnsResponseCode.NotImp },
        { "UPDATE opcode", Header(opcode: 5, qd: 1), DnsResponseCode.NotImp },
        { "additional count past the end", [.. Header(qd: 1, ar: 1), .. Question("web.shop.svc.clusterset.local.")], DnsResponseCode.FormErr },
    };

    [Theory]
    [MemberData(nameof(MalformedPackets))]
    public void Respond_MalformedPacket_RepliesFormErrOrDrops(string description, byte[] packet, DnsResponseCode? expected)
    {
        var buffer = new byte[512];
        var response = new DnsResponder(Index).Respond(packet, buffer, DnsTransport.Udp);

        if (expected is null)
        {
            Assert.True(response.Length == 0, description);
            return;
        }

        var reply = DnsOracle.Decode(buffer.AsSpan(0, response.Length));
        Assert.Equal(expected, reply.ResponseCode);
        Assert.True(reply.IsResponse);
        Assert.Equal(0x1234, reply.Id);
    }

    [Fact]
    public void Respond_RandomGarbage_NeverThrowsAndNeverWritesPastTheBuffer()
    {
        var responder = new DnsResponder(Index);
        var random = new Random(1645);
        var seed = Query("_http._tcp.web.shop.svc.clusterset.local.", DnsRecordType.SRV, edns: true);
        var buffer = new byte[512];
        for (var i = 0; i < 20_000; i++)
        {
            var packet = i % 2 == 0 ? new byte[random.Next(0, 300)] : (byte[])seed.Clone();
            if (i % 2 == 0)
            {
                random.NextBytes(packet);
            }
            else
            {
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                }
            }

            var response = responder.Respond(packet, buffer, DnsTransport.Udp);
            Assert.InRange(response.Length, 0, 512);
            if (response.Length > 0)
            {
                DnsOracle.Decode(buffer.AsSpan(0, response.Length)); // our reply always parses
            }
        }
    }

    [Fact]
    public void Respond_ChaosClass_IsRefused()
    {
        var query = DnsMessage.CreateQuery("web.shop.svc.clusterset.local.", DnsRecordType.TXT, 1, dnsClass: DnsClass.CH).ToWire();

        Assert.Equal(DnsResponseCode.Refused, Ask(new DnsResponder(Index), query).ResponseCode);
    }

    [Fact]
    public void Respond_ZoneTransfer_IsRefused()
    {
        Assert.Equal(DnsResponseCode.Refused, Ask(Index, "clusterset.local.", DnsRecordType.AXFR, DnsTransport.Tcp).ResponseCode);
    }

    [Fact]
    public void Respond_RecursionDesired_IsCopiedAndRecursionNeverAvailable()
    {
        var query = DnsMessage.CreateQuery("web.shop.svc.clusterset.local.", DnsRecordType.A, 9, recursionDesired: true).ToWire();
        var reply = Ask(new DnsResponder(Index), query);

        Assert.True(reply.RecursionDesired);
        Assert.False(reply.RecursionAvailable);
    }

    [Theory]
    [InlineData("web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1)]
    [InlineData("nope.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.ServFail, 0)]
    [InlineData("web.shop.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.ServFail, 0)]
    public void Respond_BeforeFirstSync_PositiveServedNegativeServFail(string name, DnsRecordType type, DnsResponseCode rcode, int answers)
    {
        var index = Standard();
        index.RegisterSource("kubernetes");

        var reply = Ask(index, name, type);

        Assert.Equal(rcode, reply.ResponseCode);
        Assert.Equal(answers, reply.Answers.Count);
        if (rcode == DnsResponseCode.ServFail)
        {
            Assert.Equal([Soa], Lines(reply.Authorities));
            Assert.False(reply.Authoritative);
        }

        index.MarkSynced("kubernetes");
        Assert.NotEqual(DnsResponseCode.ServFail, Ask(index, name, type).ResponseCode);
    }

    [Fact]
    public void Respond_ResponseBufferTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DnsResponder(Index).Respond(Query("a.clusterset.local.", DnsRecordType.A), new byte[100], DnsTransport.Udp));
    }

    private static ClusterSetIndex LargeHeadless(int endpoints)
    {
        var index = NewIndex();
        index.PutService(Service("data", "big", Model.ServiceType.Headless, [], Port("http", 80)));
        index.PutEndpointSlice(Slice("data", "big-a", "big", "cluster-a", [Port("http", 80)],
            [.. Enumerable.Range(1, endpoints).Select(i => Ep($"10.9.{i / 250}.{(i % 250) + 1}", $"pod-{i}"))]));
        return index;
    }

    private static byte[] Header(bool qr = false, int opcode = 0, ushort qd = 1, ushort ar = 0)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)((qr ? 0x8000 : 0) | (opcode << 11)));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), qd);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), ar);
        return header;
    }

    private static byte[] Question(string name) => [.. DnsName.Encode(name), 0, 1, 0, 1];
}
