
namespace DnsMcs.Dns.Tests;

public sealed class DnsMessageParseTests
{
    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "11-byte header", Wire.Hex("1234 0100 0001 0000 0000 00") },
        { "pointer to itself", Wire.Packet(0, 1, 0, 0, 0, "C00C 0001 0001") },
        { "pointer loop through a label", Wire.Packet(0, 1, 0, 0, 0, "01 61 C00C 0001 0001") },
        { "forward pointer", Wire.Packet(0, 1, 0, 0, 0, "C012 0001 0001 01 61 00") },
        { "pointer past end", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, "C0FF 0001 0001 00000005 0004 0A000001") },
        { "truncated pointer", Wire.Packet(0, 1, 0, 0, 0, "01 61 C0") },
        { "label of 64 bytes", Wire.Packet(0, 1, 0, 0, 0, Wire.Label(64), "00 0001 0001") },
        { "reserved label type 0x80", Wire.Packet(0, 1, 0, 0, 0, "80 61 00 0001 0001") },
        { "extended label type 0x40", Wire.Packet(0, 1, 0, 0, 0, "41 61 00 0001 0001") },
        { "name of 257 bytes", Wire.Packet(0, 1, 0, 0, 0, Wire.Label(63), Wire.Label(63), Wire.Label(63), Wire.Label(63), "00 0001 0001") },
        {
            "name over 255 bytes only once expanded",
            Wire.Packet(0, 1, 1, 0, 0, Wire.Label(63), Wire.Label(63), Wire.Label(63), "00 0001 0001", Wire.Label(63), "C00C 0001 0001 00000005 0004 0A000001")
        },
        { "label past the end", Wire.Packet(0, 1, 0, 0, 0, "05 61 62") },
        { "truncated question", Wire.Packet(0, 1, 0, 0, 0, "01 61 00 0001 00") },
        { "QDCOUNT 2 with one question", Wire.Packet(0, 2, 0, 0, 0, Wire.QuestionA) },
        { "ANCOUNT 1 with no answer", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA) },
        { "ARCOUNT 65535", Wire.Packet(0, 1, 0, 0, 0xFFFF, Wire.QuestionA, Wire.Opt) },
        { "truncated record header", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, "C00C 0001 0001 0000") },
        { "truncated rdata", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0001", "0004", "0A00")) },
        { "A with RDLENGTH 5", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0001", "0005", "0A00000100")) },
        { "A with RDLENGTH 3", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0001", "0003", "0A0000")) },
        { "AAAA with RDLENGTH 4", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("001C", "0004", "0A000001")) },
        { "CNAME name overruns RDLENGTH", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0005", "0002", "01 62 00")) },
        { "CNAME with trailing garbage", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0005", "0004", "01 62 00 FF")) },
        { "SOA numbers overrun RDLENGTH", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0006", "0015", "00 00 00000001 00000002 00000003 00000004 000000")) },
        { "SOA rname overruns RDLENGTH", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0006", "0002", "00 01 61 00")) },
        { "SRV shorter than its numbers", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0021", "0004", "0000 0001")) },
        { "SRV target overruns RDLENGTH", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0021", "0007", "0000 0001 0050 01 62 00")) },
        { "TXT string overruns RDLENGTH", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0010", "0003", "05 61 62 63 64 65")) },
        { "TXT without strings", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("0010", "0000", string.Empty)) },
        { "OPT in the answer section", Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Opt) },
        { "two OPT records", Wire.Packet(0, 1, 0, 0, 2, Wire.QuestionA, Wire.Opt, Wire.Opt) },
        { "OPT not owned by the root", Wire.Packet(0, 1, 0, 0, 1, Wire.QuestionA, "C00C 0029 1000 00000000 0000") },
        { "OPT option longer than its RDATA", Wire.Packet(0, 1, 0, 0, 1, Wire.QuestionA, "00 0029 1000 00000000 0004 000A 0005") },
        { "OPT option header cut short", Wire.Packet(0, 1, 0, 0, 1, Wire.QuestionA, "00 0029 1000 00000000 0002 000A") },
        { "bytes after the last record", Wire.Packet(0, 1, 0, 0, 0, Wire.QuestionA, "00") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_Malformed_ThrowsDnsFormatException(string scenario, byte[] packet)
    {
        var exception = Record.Exception(() => DnsMessage.Parse(packet));
        Assert.True(exception is DnsFormatException, $"{scenario}: {exception?.GetType().Name ?? "no exception"}");
    }

    [Fact]
    public void Parse_CompressedResponse_ReadsEverySection()
    {
        var packet = Wire.Packet(
            0x8583,
            1,
            2,
            1,
            2,
            "03 77 65 62 04 73 68 6F 70 00 0001 0001",                          // web.shop. A IN at 12
            Wire.Answer("0001", "0004", "0A000001"),
            Wire.Answer("0005", "0006", "03 61 70 69 C010"),                    // api + pointer to shop. at 16
            "C010 0006 0001 00000005 001A 02 6E 73 C010 00 00000001 00000002 00000003 00000004 00000005",
            "C010 0010 0001 00000005 0004 03 31 2E 30",
            "00 0029 0200 01008000 0006 000A 0002 ABCD");
        var message = DnsMessage.Parse(packet);

        Assert.True(message.IsResponse && message.Authoritative && message.RecursionDesired && message.RecursionAvailable);
        Assert.Equal(DnsResponseCode.NXDomain + 16, message.ResponseCode);
        Assert.Equal(new DnsQuestion("web.shop.", DnsRecordType.A), Assert.Single(message.Questions));
        Assert.Equal(
            [DnsRecord.Parse("web.shop. 5 IN A 10.0.0.1"), DnsRecord.Parse("web.shop. 5 IN CNAME api.shop.")],
            message.Answers);
        Assert.Equal(DnsRecord.Parse("shop. 5 IN SOA ns.shop. . 1 2 3 4 5"), Assert.Single(message.Authorities));
        Assert.Equal(DnsRecord.Parse("shop. 5 IN TXT \"1.0\""), Assert.Single(message.Additionals));
        var opt = Assert.IsType<DnsOpt>(message.Opt);
        Assert.Equal((512, 1, 0, true), (opt.UdpPayloadSize, opt.ExtendedRcode, opt.Version, opt.DnssecOk));
        Assert.Equal(new DnsOption(10, [0xAB, 0xCD]), Assert.Single(opt.Options));
    }

    [Fact]
    public void Parse_PointerChainBackwards_Follows()
    {
        // Question "a.b." at 12; answer owner "c" + pointer to "b." at 14; CNAME target pointer to the owner.
        var packet = Wire.Packet(0, 1, 1, 0, 0, "01 61 01 62 00 0001 0001", "01 63 C00E 0005 0001 00000001 0002 C015");
        var record = Assert.Single(DnsMessage.Parse(packet).Answers);
        Assert.Equal(new DnsRecord("c.b.", DnsRecordType.CNAME, DnsClass.IN, 1, new DnsNameData("c.b.")), record);
    }

    [Fact]
    public void Parse_UnknownType_KeepsRawBytes()
    {
        var packet = Wire.Packet(0, 1, 1, 0, 0, Wire.QuestionA, Wire.Answer("FF00", "0003", "C00C 00"));
        var record = Assert.Single(DnsMessage.Parse(packet).Answers);
        Assert.Equal("a. 5 IN TYPE65280 \\# 3 C00C00", record.ToString());
    }

    [Theory]
    [InlineData(DnsResponseCode.NXDomain, true)]
    [InlineData(DnsResponseCode.BadVers, true)]
    [InlineData(DnsResponseCode.Refused, false)]
    public void ResponseCode_SetAndWritten_RoundTrips(DnsResponseCode code, bool edns)
    {
        var message = DnsMessage.CreateQuery("a.", DnsRecordType.A, 7, edns);
        message.IsResponse = true;
        message.ResponseCode = code;
        var parsed = DnsMessage.Parse(message.ToWire());
        Assert.Equal(code, parsed.ResponseCode);
        Assert.Equal((int)code & 0xF, parsed.Flags & DnsHeader.RcodeMask);
    }

    [Fact]
    public void ResponseCode_ExtendedWithoutOpt_Throws()
    {
        var message = DnsMessage.CreateQuery("a.", DnsRecordType.A, 7);
        Assert.Throws<InvalidOperationException>(() => message.ResponseCode = DnsResponseCode.BadVers);
    }

    [Fact]
    public void CreateQuery_WithEdns_WireHasOptOnly()
    {
        var wire = DnsMessage.CreateQuery("Web.Example", DnsRecordType.AAAA, 0xBEEF, edns: true, udpSize: 4096, dnssecOk: true, recursionDesired: true).ToWire();
        Assert.Equal(Wire.Packet(0x0100, 1, 0, 0, 1, "03 576562 07 4578616D706C65 00 001C 0001", "00 0029 1000 00008000 0000")[2..], wire[2..]);
        Assert.Equal(0xBEEF, DnsHeader.ReadId(wire));
        var parsed = DnsMessage.Parse(wire);
        Assert.Equal("Web.Example.", parsed.Questions[0].Name);
        Assert.Empty(parsed.Additionals);
    }
}
