using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DnsMcs.Explain;
using DnsMcs.Http;
using DnsMcs.Metrics;
using DnsMcs.Zone;
using DnsMcs.Zone.Explain;
using DnsMcs.Zone.Model;

namespace DnsMcs.Tests.Explain;

/// <summary>/debug/explain on the metrics listener: off unless given an explainer; JSON for a good question, 400 for a bad one.</summary>
public sealed class ExplainEndpointTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task DebugExplain_NotEnabled_Is404()
    {
        using var meter = new Meter("test.explain.off");
        using var collector = new MetricsCollector([meter]);
        await using var server = new OperationsServer(new OperationsOptions { Metrics = AnyLoopbackPort }, collector, new ReadinessTracker());
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();

        var response = await client.GetAsync(Url(server, "?name=web.shop.svc.clusterset.local"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(server.BoundEndpoint(ExplainEndpoint.Path));
        await server.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("?name=web.shop.svc.clusterset.local", HttpStatusCode.OK, "rcode", "NOERROR")]
    [InlineData("?name=web.shop.svc.clusterset.local&type=AAAA", HttpStatusCode.OK, "rcode", "NOERROR")]
    [InlineData("?name=nope.shop.svc.clusterset.local&type=A", HttpStatusCode.OK, "rcode", "NXDOMAIN")]
    [InlineData("", HttpStatusCode.BadRequest, "error", "name: the name is empty")]
    [InlineData("?name=web.shop.svc.clusterset.local&type=BOGUS", HttpStatusCode.BadRequest, "error", "type: 'BOGUS' is not a record type (A, AAAA, SRV, SOA, NS, TXT, ANY, or TYPEnnn)")]
    public async Task DebugExplain_Enabled_AnswersJson(string query, HttpStatusCode status, string property, string value)
    {
        var index = new ClusterSetIndex(new ZoneOptions());
        index.PutNamespace("shop");
        index.PutService(new ServiceInfo("shop", "web", ServiceType.ClusterSetIP, [IPAddress.Parse("10.96.0.10")], ImmutableArray<PortInfo>.Empty));
        using var meter = new Meter("test.explain.on");
        using var collector = new MetricsCollector([meter]);
        var options = new OperationsOptions { Metrics = AnyLoopbackPort, Explain = new ExplainEndpoint(new NameExplainer(index)) };
        await using var server = new OperationsServer(options, collector, new ReadinessTracker());
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();

        var response = await client.GetAsync(Url(server, query));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(value, json.RootElement.GetProperty(property).GetString());
        Assert.Equal(server.BoundEndpoint(OperationsServer.MetricsPath), server.BoundEndpoint(ExplainEndpoint.Path));
        await server.StopAsync(CancellationToken.None);
    }

    private static string Url(OperationsServer server, string query)
    {
        var endpoint = server.BoundEndpoint(OperationsServer.MetricsPath)!;
        var host = endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return $"http://{host}:{endpoint.Port}{ExplainEndpoint.Path}{query}";
    }
}
