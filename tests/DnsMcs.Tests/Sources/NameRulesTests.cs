using DnsMcs.Sources;

namespace DnsMcs.Tests.Sources;

public sealed class NameRulesTests
{
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
    [InlineData("cluster-a", true)]
    [InlineData("cluster-b.eu", true)]
    [InlineData("a.b.c", false)]
    [InlineData(".eu", false)]
    [InlineData("cluster-b.", false)]
    [InlineData("cluster-b..eu", false)]
    [InlineData("Cluster-A", false)]
    [InlineData("", false)]
    public void IsClusterId_Text_AcceptsOneOrTwoLabels(string text, bool expected) => Assert.Equal(expected, NameRules.IsClusterId(text));

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("FD00::0001", "fd00::1")]
    [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1")]
    [InlineData("10.0.0", null)]
    [InlineData("10.0.0.1.2", null)]
    [InlineData("10.0.0.01", null)]
    [InlineData("1", null)]
    [InlineData("0x0a.0.0.1", null)]
    [InlineData("10.0.0.1 ", null)]
    [InlineData("fe80::1%2", null)]
    [InlineData("fd00:::1", null)]
    [InlineData("web", null)]
    public void IpTextTryParse_Text_AcceptsOnlyCanonicalForms(string text, string? expected)
    {
        var ok = IpText.TryParse(text, out var address);

        Assert.Equal(expected is not null, ok);
        if (expected is not null)
        {
            Assert.Equal(expected, address.ToString());
        }
    }
}
