using System.Net;
using DnsMcs.Configuration;

namespace DnsMcs.Tests.Configuration;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData(":9153", null, "0.0.0.0:9153")]
    [InlineData("0.0.0.0:53", null, "0.0.0.0:53")]
    [InlineData("127.0.0.1:8080", null, "127.0.0.1:8080")]
    [InlineData("localhost:8181", null, "127.0.0.1:8181")]
    [InlineData("[::]:53", null, "[::]:53")]
    [InlineData("[fd00::1]:5353", null, "[fd00::1]:5353")]
    [InlineData("10.0.0.1", 53, "10.0.0.1:53")]
    [InlineData("[fd00::1]", 53, "[fd00::1]:53")]
    public void TryParse_Valid_ReturnsEndpoint(string text, int? defaultPort, string expected)
    {
        Assert.True(ListenAddress.TryParse(text, defaultPort, out var endpoint, out var error), error);
        Assert.Equal(IPEndPoint.Parse(expected), endpoint);
    }

    [Theory]
    [InlineData("9153", "a port is required")]
    [InlineData(":http", "is not a port number")]
    [InlineData(":70000", "is not a port number")]
    [InlineData("fd00::1:53", "write an IPv6 address in brackets")]
    [InlineData("[fd00::1:53", "missing ']'")]
    [InlineData("[fd00::1]53", "expected ':PORT'")]
    [InlineData("dns.example:53", "is not an IP address")]
    public void TryParse_Invalid_SaysWhy(string text, string reason)
    {
        Assert.False(ListenAddress.TryParse(text, null, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("250ms", 250)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    public void GoDuration_Valid_Parses(string text, int milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 s")]
    [InlineData("s")]
    [InlineData("5d")]
    [InlineData("-5s")]
    public void GoDuration_Invalid_IsRejected(string text) => Assert.False(GoDuration.TryParse(text, out _));
}
