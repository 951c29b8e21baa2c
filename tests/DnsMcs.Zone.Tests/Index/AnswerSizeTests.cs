using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Zone.Faults;
using DnsMcs.Zone.Index;
using DnsMcs.Zone.Model;

namespace DnsMcs.Zone.Tests.Index;

/// <summary>
/// What a service's answers hold, counted from their arrays' lengths (deterministic, not a heap measurement):
/// the product bar is at most 300 bytes per endpoint for the answers over a typical mix; a headless endpoint costs more
/// (its SRV record, with the full target name, sits in each _port._proto set and in the service name's).
/// </summary>
public sealed class AnswerSizeTests
{
    [Theory]
    [InlineData(ServiceType.ClusterSetIP, 10, 150)]
    [InlineData(ServiceType.ClusterSetIP, 100, 120)]
    [InlineData(ServiceType.Headless, 10, 500)]
    [InlineData(ServiceType.Headless, 100, 500)]
    public void Build_ServiceOfTwoClusters_AnswersWithinBytesPerEndpoint(ServiceType type, int endpoints, int bytesPerEndpoint)
    {
        var service = new ServiceInfo("shop", "cart", type, type == ServiceType.ClusterSetIP ? [IPAddress.Parse("10.96.0.1")] : [],
            [new PortInfo("http", "TCP", 80), new PortInfo("metrics", "TCP", 9090)]);
        var slices = new[] { Slice("cluster-a", 0, endpoints / 2, type), Slice("cluster-b", 1, endpoints / 2, type) };
        var builder = new ServiceAnswerBuilder(new ZoneContext(new ZoneOptions()));

        var answers = builder.Build(service, slices, null, new List<IndexRejection>());

        Assert.Equal(endpoints, answers.ReadyEndpoints);
        Assert.InRange(answers.Size / (double)endpoints, 1, bytesPerEndpoint);
    }

    private static EndpointSliceInfo Slice(string cluster, int index, int count, ServiceType type) => new(
        "shop", $"cart-{cluster}", "cart", cluster, AddressFamily.InterNetwork, [new PortInfo("http", "TCP", 8080), new PortInfo("metrics", "TCP", 9090)],
        [.. Enumerable.Range(0, count).Select(e => new EndpointInfo([new IPAddress([10, (byte)index, (byte)(e >> 8), (byte)e])], type == ServiceType.Headless ? $"cart-{e}" : null, Ready: true))]);
}
