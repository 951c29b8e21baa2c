using System.Net;

namespace DnsMcs.Dns.Tests;

public sealed class DnsRecordTests
{
    public static TheoryData<DnsRecord, string> Formatted => new()
    {
        { new DnsRecord("web.shop.svc.clusterset.local", 5, new DnsAddressData(IPAddress.Parse("10.0.0.1"))), "web.shop.svc.clusterset.local. 5 IN A 10.0.0.1" },
        { new DnsRecord("Web.Shop.svc.clusterset.local.", 5, new DnsAddressData(IPAddress.Parse("fd00::1"))), "Web.Shop.svc.clusterset.local. 5 IN AAAA fd00::1" },
        {
            new DnsRecord("_http._tcp.web.shop.svc.clusterset.local.", 5, new DnsSrvData(0, 50, 80, "web.shop.svc.clusterset.local")),
            "_http._tcp.web.shop.svc.clusterset.local. 5 IN SRV 0 50 80 web.shop.svc.clusterset.local."
        },
        {
            new DnsRecord("clusterset.local.", 5, new DnsSoaData("ns.dns.clusterset.local.", "hostmaster.clusterset.local.", 1700000000, 7200, 1800, 86400, 5)),
            "clusterset.local. 5 IN SOA ns.dns.clusterset.local. hostmaster.clusterset.local. 1700000000 7200 1800 86400 5"
        },
        { new DnsRecord("dns-version.clusterset.local.", 28800, new DnsTxtData("1.0.0")), "dns-version.clusterset.local. 28800 IN TXT \"1.0.0\"" },
        { new DnsRecord("t.example.", 1, new DnsTxtData("a \"q\" \\", "\u0001\u00ff", string.Empty)), "t.example. 1 IN TXT \"a \\\"q\\\" \\\\\" \"\\001\\255\" \"\"" },
        { new DnsRecord("clusterset.local.", DnsRecordType.NS, DnsClass.IN, 5, new DnsNameData("ns.dns.clusterset.local.")), "clusterset.local. 5 IN NS ns.dns.clusterset.local." },
        { new DnsRecord("www.example.", DnsRecordType.CNAME, DnsClass.IN, 0, new DnsNameData("web.example.")), "www.example. 0 IN CNAME web.example." },
        { new DnsRecord("1.0.0.10.in-addr.arpa.", DnsRecordType.PTR, DnsClass.IN, 30, new DnsNameData("web.example.")), "1.0.0.10.in-addr.arpa. 30 IN PTR web.example." },
        { new DnsRecord("x.example.", (DnsRecordType)65280, DnsClass.IN, 9, new DnsUnknownData([0x0A, 0x00, 0x00, 0x01])), "x.example. 9 IN TYPE65280 \\# 4 0A000001" },
        { new DnsRecord("x.example.", DnsRecordType.MX, (DnsClass)4, 9, new DnsUnknownData([])), "x.example. 9 CLASS4 MX \\# 0" },
        { new DnsRecord("a\\.b.example.", 1, new DnsAddressData(IPAddress.Parse("192.0.2.1"))), "a\\.b.example. 1 IN A 192.0.2.1" },
        { new DnsRecord(".", DnsRecordType.NS, DnsClass.IN, 1, new DnsNameData("a.root-servers.net")), ". 1 IN NS a.root-servers.net." },
    };

    [Theory]
    [MemberData(nameof(Formatted))]
    public void ToString_Record_ZoneFileLine(DnsRecord record, string expected) => Assert.Equal(expected, record.ToString());

    [Theory]
    [MemberData(nameof(Formatted))]
    public void Parse_ZoneFileLine_EqualsRecord(DnsRecord expected, string line)
    {
        var parsed = DnsRecord.Parse(line);
        Assert.Equal(expected, parsed);
        Assert.Equal(expected.GetHashCode(), parsed.GetHashCode());
    }

    [Theory]
    [InlineData("a.example. 5 IN A 10.0.0.1", "A.example. 5 IN A 10.0.0.1")]
    [InlineData("a.example. 5 IN A 10.0.0.1", "a.example. 6 IN A 10.0.0.1")]
    [InlineData("a.example. 5 IN A 10.0.0.1", "a.example. 5 IN A 10.0.0.2")]
    [InlineData("a.example. 5 IN TXT \"x\"", "a.example. 5 IN TXT \"x\" \"y\"")]
    [InlineData("a.example. 5 IN TXT \"x\"", "a.example. 5 IN TXT \"X\"")]
    [InlineData("a.example. 5 IN SRV 0 1 80 t.example.", "a.example. 5 IN SRV 0 1 80 T.example.")]
    [InlineData("a.example. 5 IN TYPE999 \\# 1 00", "a.example. 5 IN TYPE999 \\# 1 01")]
    [InlineData("a.example. 5 IN TYPE999 \\# 1 00", "a.example. 5 IN TYPE998 \\# 1 00")]
    [InlineData("a.example. 5 IN A 10.0.0.1", "a.example. 5 CH A 10.0.0.1")]
    public void Equals_DifferentValue_NotEqual(string left, string right) => Assert.NotEqual(DnsRecord.Parse(left), DnsRecord.Parse(right));

    [Theory]
    [InlineData("a.example 5 in a 10.0.0.1", "a.example. 5 IN A 10.0.0.1")]
    [InlineData("a.example.   5\tIN  TXT   hello  \"two words\"", "a.example. 5 IN TXT \"hello\" \"two words\"")]
    [InlineData("a.example. 5 IN A \\# 4 0a000001", "a.example. 5 IN A 10.0.0.1")]
    [InlineData("a.example. 5 IN CNAME \\# 3 01 61 00", "a.example. 5 IN CNAME a.")]
    [InlineData("a.example. 5 IN TYPE1 10.0.0.1", "a.example. 5 IN A 10.0.0.1")]
    [InlineData("a.example. 5 CLASS1 A 10.0.0.1", "a.example. 5 IN A 10.0.0.1")]
    [InlineData("\\097.example. 5 IN A 10.0.0.1", "a.example. 5 IN A 10.0.0.1")]
    [InlineData("a.example. 5 IN AAAA 2001:DB8:0:0:0:0:0:1", "a.example. 5 IN AAAA 2001:db8::1")]
    [InlineData("a.example. 5 IN TXT \"\\065\\\"\"", "a.example. 5 IN TXT \"A\\\"\"")]
    public void Parse_AlternativeSpelling_CanonicalText(string line, string expected) => Assert.Equal(expected, DnsRecord.Parse(line).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("a.example. 5 IN")]
    [InlineData("a.example. -5 IN A 10.0.0.1")]
    [InlineData("a.example. 4294967296 IN A 10.0.0.1")]
    [InlineData("a.example. 5 XX A 10.0.0.1")]
    [InlineData("a.example. 5 IN BOGUS 10.0.0.1")]
    [InlineData("a.example. 5 IN A 10.1")]
    [InlineData("a.example. 5 IN A 10.0.0.256")]
    [InlineData("a.example. 5 IN A fd00::1")]
    [InlineData("a.example. 5 IN A 10.0.0.1 10.0.0.2")]
    [InlineData("a.example. 5 IN AAAA 10.0.0.1")]
    [InlineData("a.example. 5 IN AAAA fe80::1%1")]
    [InlineData("a.example. 5 IN SRV 0 1 65536 t.example.")]
    [InlineData("a.example. 5 IN SRV 0 1 80")]
    [InlineData("a.example. 5 IN SOA a. b. 1 2 3 4")]
    [InlineData("a.example. 5 IN TXT")]
    [InlineData("a.example. 5 IN TXT \"unterminated")]
    [InlineData("a.example. 5 IN TXT \"\\256\"")]
    [InlineData("a.example. 5 IN MX 10 mail.example.")]
    [InlineData("a.example. 5 IN TYPE999 \\# 2 00")]
    [InlineData("a.example. 5 IN TYPE999 \\# 1 0g")]
    [InlineData("a.example. 5 IN A \\# 3 0a0000")]
    [InlineData("a..example. 5 IN A 10.0.0.1")]
    [InlineData("a.example. 5 IN CNAME b..example.")]
    [InlineData("\"a.example.\" 5 IN A 10.0.0.1")]
    [InlineData("a.example. 5 IN CNAME \"b.example.\"")]
    public void Parse_Malformed_FormatException(string line)
    {
        Assert.Throws<FormatException>(() => DnsRecord.Parse(line));
        Assert.False(DnsRecord.TryParse(line, out _));
    }

    public static TheoryData<DnsRecordType, DnsRecordData> Mismatched => new()
    {
        { DnsRecordType.A, new DnsAddressData(IPAddress.IPv6Loopback) },
        { DnsRecordType.AAAA, new DnsAddressData(IPAddress.Loopback) },
        { DnsRecordType.A, new DnsUnknownData([1, 2, 3, 4]) },
        { DnsRecordType.SRV, new DnsNameData("a.") },
        { DnsRecordType.MX, new DnsNameData("a.") },
        { DnsRecordType.TXT, new DnsSoaData("a.", "b.", 1, 2, 3, 4, 5) },
    };

    [Theory]
    [MemberData(nameof(Mismatched))]
    public void Constructor_DataOfAnotherType_Throws(DnsRecordType type, DnsRecordData data) =>
        Assert.Throws<ArgumentException>(() => new DnsRecord("a.example.", type, DnsClass.IN, 1, data));

    [Theory]
    [InlineData(256)]
    [InlineData(-1)]
    public void TxtData_BadString_Throws(int length)
    {
        var text = length < 0 ? "\u0100" : new string('a', length);
        Assert.Throws<ArgumentException>(() => new DnsTxtData(text));
    }
}
