namespace DnsMcs.Dns.Tests;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData(".", "00", ".")]
    [InlineData("", "00", ".")]
    [InlineData("clusterset.local", "0A636C7573746572736574 056C6F63616C 00", "clusterset.local.")]
    [InlineData("Web.SHOP.", "03576562 0453484F50 00", "Web.SHOP.")]
    [InlineData("a\\.b.c.", "03612E62 0163 00", "a\\.b.c.")]
    [InlineData("a\\046b.c.", "03612E62 0163 00", "a\\.b.c.")]
    [InlineData("\\000\\255\\032.", "03 00FF20 00", "\\000\\255\\032.")]
    [InlineData("a\\\\b.", "03 615C62 00", "a\\\\b.")]
    [InlineData("\\\"\\(\\)\\;\\@\\$.", "06 222829 3B4024 00", "\\\"\\(\\)\\;\\@\\$.")]
    [InlineData("\\a.", "01 61 00", "a.")]
    [InlineData("_http._tcp.", "05 5F68747470 04 5F746370 00", "_http._tcp.")]
    public void Encode_Text_WireAndBack(string text, string wireHex, string canonical)
    {
        var wire = DnsName.Encode(text);
        Assert.Equal(Convert.ToHexString(Wire.Hex(wireHex)), Convert.ToHexString(wire));
        Assert.Equal(canonical, DnsName.ToText(wire));
        Assert.Equal(wire, DnsName.Encode(DnsName.ToText(wire)));
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "empty label", "a..b" },
        { "leading dot", ".a" },
        { "two dots", ".." },
        { "64-byte label", new string('a', 64) + ".b" },
        { "256-byte name", string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) },
        { "256-byte name with a trailing dot", string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('a', 62) + "." },
        { "non-ASCII", "café.example" },
        { "non-ASCII after an escape", "\\é.example" },
        { "dangling escape", "a\\" },
        { "short \\DDD", "a\\12" },
        { "\\DDD above 255", "a\\256" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Encode_Invalid_Throws(string scenario, string text)
    {
        Assert.False(DnsName.TryEncode(text, new byte[DnsName.MaxLength], out _, out var error), scenario);
        Assert.NotNull(error);
        Assert.Throws<ArgumentException>(() => DnsName.Encode(text));
    }

    [Theory]
    [InlineData(61)]
    [InlineData(60)]
    public void Encode_LongestNames_Fit(int lastLabel)
    {
        // 3 x (1 + 63) + (1 + 61) + root = 255 bytes: the limit of RFC 1035 §3.1.
        var text = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', lastLabel);
        var wire = DnsName.Encode(text);
        Assert.Equal(194 + lastLabel, wire.Length);
        Assert.Equal(text + ".", DnsName.ToText(wire));
    }

    [Fact]
    public void Encode_DestinationTooSmall_False()
    {
        Assert.False(DnsName.TryEncode("abc.", new byte[4], out _, out _));
        Assert.True(DnsName.TryEncode("abc.", new byte[5], out var written, out _));
        Assert.Equal(5, written);
    }

    [Theory]
    [InlineData("Web-\\196\\091Z\\064.", "web-\\196[z\\@.")]
    // Longer than a vector, bytes above 127 among letters, at either end of a label, one after another.
    [InlineData("WEB.Shop.SVC.ClusterSet.LOCAL.", "web.shop.svc.clusterset.local.")]
    [InlineData("\\200ABCDEFGHIJKLMNOPQRSTUVWXYZ\\255.@[`{Z.", "\\200abcdefghijklmnopqrstuvwxyz\\255.\\@[`{z.")]
    [InlineData("AbCdEfGhIjKlMnOpQrStUvWxYz\\128\\129Q.", "abcdefghijklmnopqrstuvwxyz\\128\\129q.")]
    [InlineData(".", ".")]
    public void ToLowerAscii_MixedCase_LowersLettersOnly(string name, string expected)
    {
        var wire = DnsName.Encode(name);
        var lower = new byte[wire.Length];
        DnsName.ToLowerAscii(wire, lower);
        Assert.Equal(expected, DnsName.ToText(lower));
    }
}
