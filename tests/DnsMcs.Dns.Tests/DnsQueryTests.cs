namespace DnsMcs.Dns.Tests;

public sealed class DnsQueryTests
{
    private const string Question = "03 776562 04 73686F70 00 0001 0001"; // web.shop. A IN

    public static TheoryData<string, byte[], DnsQueryStatus> Statuses => new()
    {
        { "plain query", Wire.Packet(0x0100, 1, 0, 0, 0, Question), DnsQueryStatus.Ok },
        { "EDNS query", Wire.Packet(0, 1, 0, 0, 1, Question, Wire.Opt), DnsQueryStatus.Ok },
        { "two OPT records", Wire.Packet(0, 1, 0, 0, 2, Question, Wire.Opt, Wire.Opt), DnsQueryStatus.FormErr },
        { "OPT owned by a non-root name", Wire.Packet(0, 1, 0, 0, 1, Question, "C00C 0029 1000 00000000 0000"), DnsQueryStatus.FormErr },
        { "OPT in the answer section", Wire.Packet(0, 1, 1, 0, 0, Question, Wire.Opt), DnsQueryStatus.FormErr },
        { "OPT in the authority section", Wire.Packet(0, 1, 0, 1, 0, Question, Wire.Opt), DnsQueryStatus.FormErr },
        { "OPT option longer than RDATA", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 1000 00000000 0006 000A 0004 ABCD"), DnsQueryStatus.FormErr },
        { "OPT option header cut short", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 1000 00000000 0003 000A 00"), DnsQueryStatus.FormErr },
        { "OPT RDLENGTH past the end", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 1000 00000000 0008 000A 0004"), DnsQueryStatus.FormErr },
        { "QR=1", Wire.Packet(0x8000, 1, 0, 0, 0, Question), DnsQueryStatus.Drop },
        { "11 bytes", Wire.Hex("1234 0100 0001 0000 0000 00"), DnsQueryStatus.Drop },
        { "empty", [], DnsQueryStatus.Drop },
        { "opcode NOTIFY", Wire.Packet(0x2000, 1, 0, 0, 0, Question), DnsQueryStatus.NotImp },
        { "opcode UPDATE", Wire.Packet(0x2800, 1, 0, 0, 0, Question), DnsQueryStatus.NotImp },
        { "QDCOUNT 0", Wire.Packet(0, 0, 0, 0, 0), DnsQueryStatus.FormErr },
        { "QDCOUNT 2", Wire.Packet(0, 2, 0, 0, 0, Question, Question), DnsQueryStatus.FormErr },
        { "compressed question name", Wire.Packet(0, 1, 0, 0, 0, "03 776562 C00C 0001 0001"), DnsQueryStatus.FormErr },
        { "question name a pointer", Wire.Packet(0, 1, 0, 0, 0, "C000 0001 0001"), DnsQueryStatus.FormErr },
        { "truncated question", Wire.Packet(0, 1, 0, 0, 0, "03 776562 04 73686F70 00 0001 00"), DnsQueryStatus.FormErr },
        { "question name past the end", Wire.Packet(0, 1, 0, 0, 0, "03 776562 04 7368"), DnsQueryStatus.FormErr },
        { "label of 64 bytes", Wire.Packet(0, 1, 0, 0, 0, Wire.Label(64), "00 0001 0001"), DnsQueryStatus.FormErr },
        { "name of 257 bytes", Wire.Packet(0, 1, 0, 0, 0, Wire.Label(63), Wire.Label(63), Wire.Label(63), Wire.Label(63), "00 0001 0001"), DnsQueryStatus.FormErr },
        { "ARCOUNT larger than the data", Wire.Packet(0, 1, 0, 0, 2, Question, Wire.Opt), DnsQueryStatus.FormErr },
        { "answer record skipped", Wire.Packet(0, 1, 1, 0, 0, Question, Wire.Answer("0001", "0004", "0A000001")), DnsQueryStatus.Ok },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Parse_Packet_Status(string scenario, byte[] packet, DnsQueryStatus expected)
    {
        Assert.True(expected == DnsQuery.Parse(packet, out _), scenario);
    }

    public static TheoryData<string, byte[], bool, ushort, byte, bool> Edns => new()
    {
        { "no OPT", Wire.Packet(0, 1, 0, 0, 0, Question), false, 512, 0, false },
        { "payload 256 raised to 512", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 0100 00000000 0000"), true, 512, 0, false },
        { "payload 4096", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 1000 00000000 0000"), true, 4096, 0, false },
        { "version 1", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 04D0 00010000 0000"), true, 1232, 1, false },
        { "DO bit", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 04D0 00008000 0000"), true, 1232, 0, true },
        { "with a cookie option", Wire.Packet(0, 1, 0, 0, 1, Question, "00 0029 04D0 00000000 000C 000A 0008 0102030405060708"), true, 1232, 0, false },
    };

    [Theory]
    [MemberData(nameof(Edns))]
    public void Parse_Opt_EdnsFields(string scenario, byte[] packet, bool hasEdns, ushort udpSize, byte version, bool dnssecOk)
    {
        Assert.True(DnsQueryStatus.Ok == DnsQuery.Parse(packet, out var query), scenario);
        Assert.Equal((hasEdns, udpSize, version, dnssecOk), (query.HasEdns, query.EdnsUdpSize, query.EdnsVersion, query.EdnsDnssecOk));
    }

    [Fact]
    public void Parse_PlainQuery_QuestionFields()
    {
        var packet = DnsMessage.CreateQuery("Web.Shop.", DnsRecordType.SRV, 0xABCD, recursionDesired: true).ToWire();
        Assert.Equal(DnsQueryStatus.Ok, DnsQuery.Parse(packet, out var query));
        Assert.Equal((0xABCD, DnsRecordType.SRV, (ushort)DnsClass.IN, true, 10), (query.Id, query.Type, query.Class, query.RecursionDesired, query.NameLength));
        Assert.Equal("Web.Shop.", DnsName.ToText(query.Name(packet)));
        Assert.Equal(packet.Length, query.QuestionEnd);
    }
}
