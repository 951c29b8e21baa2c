using System.Net;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Zone.Tests;

public sealed class EndpointHostNameTests
{
    [Theory]
    [InlineData(null, "10.1.2.3", "10-1-2-3")]
    [InlineData("", "10.1.2.3", "10-1-2-3")]
    [InlineData("db-0", "10.1.2.3", "db-0")]
    [InlineData("DB-0", "10.1.2.3", "db-0")]
    [InlineData(null, "fd00::1", "fd00--1")]
    [InlineData(null, "::1", "0--1")]
    [InlineData(null, "2001:db8::", "2001-db8--0")]
    [InlineData(null, "2001:DB8:0:0:0:0:0:1", "2001-db8--1")]
    [InlineData(null, "::", "0--0")]
    [InlineData(null, "::ffff:10.0.0.1", "0--ffff-10-0-0-1")]
    public void For_HostnameOrAddress_GivesTheLabel(string? hostname, string address, string expected)
    {
        Assert.Equal(expected, EndpointHostName.For(hostname, IPAddress.Parse(address)));
    }
}
