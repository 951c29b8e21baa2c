using DnsMcs.Sources;

namespace DnsMcs.Tests.Sources;

public sealed class IpTextTests
{
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
