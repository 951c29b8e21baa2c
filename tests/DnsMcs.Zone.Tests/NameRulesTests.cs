using DnsMcs.Zone.Naming;

namespace DnsMcs.Zone.Tests;

/// <summary>The one name rule every caller (translator, Corefile, CLI, controller, index) applies.</summary>
public sealed class NameRulesTests
{
    private static readonly string L63 = new('a', 63);

    [Theory]
    [InlineData("a", true)]
    [InlineData("db-0", true)]
    [InlineData("0db", true)]
    [InlineData("123456789012345678901234567890123456789012345678901234567890123", true)]
    [InlineData("1234567890123456789012345678901234567890123456789012345678901234", false)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("A", false)]
    [InlineData("a_b", false)]
    [InlineData("a.b", false)]
    public void IsDnsLabel_Text_MatchesRfc1123Label(string text, bool expected) => Assert.Equal(expected, NameRules.IsDnsLabel(text));

    [Theory]
    [InlineData("_http", true)]
    [InlineData("A_b-C", true)]
    [InlineData("", false)]
    [InlineData("a.b", false)]
    [InlineData("a b", false)]
    [InlineData("é", false)]
    [InlineData("_123456789012345678901234567890123456789012345678901234567890123", false)]
    public void IsWireLabel_Text_OneWritableLabel(string text, bool expected) => Assert.Equal(expected, NameRules.IsWireLabel(text));

    public static TheoryData<string, string?> ClusterIds() => new()
    {
        { "cluster-a", null },
        { "cluster-b.eu", null },
        { L63, null },
        { "a." + new string('b', 61), null },
        { "a.b.c", "has more than two labels (a cluster id is one DNS label, or two joined by a dot)" },
        { ".eu", "has an empty label" },
        { "cluster-b.", "has an empty label" },
        { "cluster-b..eu", "has an empty label" },
        { "Cluster-A", "is not a DNS name (lower-case letters, digits and '-', not at either end of a label)" },
        { "", "is empty" },
        { L63 + ".b", "is longer than 63 characters (it travels as a label value)" },
    };

    [Theory]
    [MemberData(nameof(ClusterIds))]
    public void ClusterIdError_Text_AcceptsOneOrTwoLabelsUpTo63Characters(string text, string? expected)
    {
        Assert.Equal(expected, NameRules.ClusterIdError(text));
        Assert.Equal(expected is null, NameRules.IsClusterId(text));
    }

    [Theory]
    [InlineData("clusterset.local", "clusterset.local")]
    [InlineData(" ClusterSet.Local. ", "clusterset.local")]
    [InlineData("mcs.example.com", "mcs.example.com")]
    [InlineData("", null)]
    [InlineData(".", null)]
    [InlineData("a..b", null)]
    [InlineData("-a.local", null)]
    [InlineData("a_b.local", null)]
    public void TryNormalizeZone_Text_LowercasesOrRejects(string text, string? expected)
    {
        Assert.Equal(expected is not null, NameRules.TryNormalizeZone(text, out var zone, out var error));
        Assert.Equal(expected is null, error is not null);
        if (expected is not null)
        {
            Assert.Equal(expected, zone);
        }
    }

    [Fact]
    public void TryNormalizeZone_Over255WireBytes_Rejected()
    {
        var zone253 = string.Join('.', L63, L63, L63, new string('d', 61)); // 253 characters: 255 bytes in wire form
        Assert.True(NameRules.TryNormalizeZone(zone253, out _, out _));
        Assert.False(NameRules.TryNormalizeZone("x" + zone253, out _, out var error));
        Assert.Contains("255 bytes", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "a" }, 3)]
    [InlineData(new[] { "a.b", "c" }, 7)]
    [InlineData(new[] { "web", "shop", "svc", "clusterset.local" }, 31)]
    public void WireLength_Parts_CountsLengthBytesAndRoot(string[] parts, int expected) => Assert.Equal(expected, NameRules.WireLength(parts));
}
