using DnsMcs.Kubernetes.Models;
using DnsMcs.Sources;
using static DnsMcs.Tests.Sources.TranslatorFixtures;

namespace DnsMcs.Tests.Sources;

/// <summary>The parts on plain values, as the centralized view calls them: no Kubernetes object around them.</summary>
public sealed class ZoneModelPartsTests
{
    public static TheoryData<string, string?, string[], string> Slices => new()
    {
        { "a Service's own slice under the member's id", "IPv4", ["10.1.0.1"], "shop/east/web-a svc=web cluster=east InterNetwork ports=[http/TCP/8080] endpoints=[10.1.0.1 - ready]" },
        { "FQDN", "FQDN", ["web.example.com"], "ignored: addressType FQDN has no addresses to serve" },
        { "an address of the other family", "IPv6", ["10.1.0.1"], "invalid: endpoints[0].addresses[0] \"10.1.0.1\" is not an IPv6 address, as the slice's addressType requires" },
        { "no addresses", "IPv4", [], "invalid: endpoints[0].addresses must hold at least one address" },
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public void Slice_PlainValues_ReturnsModelOrFailure(string scenario, string? addressType, string[] addresses, string expected)
    {
        var result = ZoneModelParts.Slice(
            "shop",
            "east/web-a",
            "web",
            "east",
            addressType,
            [new EndpointPort { Name = "http", Port = 8080 }],
            [new Endpoint { Addresses = [.. addresses] }]);

        Assert.Equal(expected, result.IsTranslated ? Describe(result.Value) : result.Failure!.ToString());
        Assert.True(result.IsTranslated == expected.StartsWith("shop/", StringComparison.Ordinal), scenario);
    }

    public static TheoryData<string?, string?, int, string> Ports => new()
    {
        { "http", null, 80, "http/TCP/80" },
        { null, "UDP", 53, "-/UDP/53" },
        { "HTTP", "TCP", 80, "invalid: spec.ports[0].name \"HTTP\" is not a valid port name (lowercase letters, digits and '-')" },
        { "http", "TCP", 0, "invalid: spec.ports[0].port 0 is out of range 1-65535" },
    };

    [Theory]
    [MemberData(nameof(Ports))]
    public void Ports_MergedServicePorts_ReturnsPortsOrFailure(string? name, string? protocol, int number, string expected)
    {
        var result = ZoneModelParts.Ports("spec.ports", [new ServicePort { Name = name, Protocol = protocol, Port = number }]);

        Assert.Equal(expected, result.IsTranslated ? string.Join(",", result.Value.Select(p => $"{p.Name ?? "-"}/{p.Protocol}/{p.Port}")) : result.Failure!.ToString());
    }

    [Theory]
    [InlineData(null, "ClusterSetIP")]
    [InlineData("Headless", "Headless")]
    [InlineData("LoadBalancer", "invalid: spec.type \"LoadBalancer\" must be ClusterSetIP or Headless")]
    public void ServiceType_Text_ReturnsTypeOrFailure(string? type, string expected)
    {
        var result = ZoneModelParts.ServiceType(type);

        Assert.Equal(expected, result.IsTranslated ? result.Value.ToString() : result.Failure!.ToString());
    }
}
