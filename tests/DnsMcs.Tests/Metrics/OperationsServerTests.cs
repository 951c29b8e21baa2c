using System.Diagnostics.Metrics;
using System.Net;
using DnsMcs.Http;
using DnsMcs.Metrics;

namespace DnsMcs.Tests.Metrics;

public sealed class OperationsServerTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Ready_BeforeAndAfterSync_Is503ThenOk()
    {
        var readiness = new ReadinessTracker();
        readiness.RegisterSource("east");
        readiness.RegisterSource("west");
        await using var server = new OperationsServer(new OperationsOptions { Ready = AnyLoopbackPort }, null, readiness);
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();
        var url = Url(server, OperationsServer.ReadyPath);

        var before = await client.GetAsync(url);
        var beforeBody = await before.Content.ReadAsStringAsync();
        readiness.MarkListenersUp();
        readiness.MarkSynced("east");
        var partly = await client.GetAsync(url);
        var partlyBody = await partly.Content.ReadAsStringAsync();
        readiness.MarkSynced("west");
        var after = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal("listeners not up; sources not synced: east, west", beforeBody);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, partly.StatusCode);
        Assert.Equal("sources not synced: west", partlyBody);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("OK", await after.Content.ReadAsStringAsync());
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Metrics_Get_ServesPrometheusText()
    {
        using var meter = new Meter("test.http.metrics");
        using var collector = new MetricsCollector([meter]);
        meter.CreateCounter<long>("test_total", null, "A test.").Add(3);
        await using var server = new OperationsServer(new OperationsOptions { Metrics = AnyLoopbackPort }, collector, new ReadinessTracker());
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();

        var response = await client.GetAsync(Url(server, OperationsServer.MetricsPath));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(3, Exposition.Parse(await response.Content.ReadAsStringAsync()).Value("test_total"));
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Endpoints_SameAddress_ShareOneListenerAndOtherPathsAre404()
    {
        await using var server = new OperationsServer(
            new OperationsOptions { Health = AnyLoopbackPort, Ready = AnyLoopbackPort }, null, new ReadinessTracker());
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();

        var health = await client.GetAsync(Url(server, OperationsServer.HealthPath));
        var ready = await client.GetAsync(Url(server, OperationsServer.ReadyPath));
        var metrics = await client.GetAsync(Url(server, OperationsServer.HealthPath).Replace("/health", "/metrics", StringComparison.Ordinal));

        Assert.Equal(server.BoundEndpoint(OperationsServer.HealthPath), server.BoundEndpoint(OperationsServer.ReadyPath));
        Assert.Null(server.BoundEndpoint(OperationsServer.MetricsPath));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("OK", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Endpoints_DifferentAddresses_EachAnswersOnlyItsOwnPaths()
    {
        // Two listeners of one Kestrel server (127.0.0.1 and 127.0.0.2, both on Linux's loopback): each keeps its paths.
        await using var server = new OperationsServer(
            new OperationsOptions { Health = AnyLoopbackPort, Ready = new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0) }, null, new ReadinessTracker());
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();
        var health = server.BoundEndpoint(OperationsServer.HealthPath)!;
        var ready = server.BoundEndpoint(OperationsServer.ReadyPath)!;

        (string Url, HttpStatusCode Status)[] cases =
        [
            ($"http://{health}/health", HttpStatusCode.OK),
            ($"http://{health}/ready", HttpStatusCode.NotFound),
            ($"http://{ready}/ready", HttpStatusCode.ServiceUnavailable),
            ($"http://{ready}/health", HttpStatusCode.NotFound),
        ];
        foreach (var (url, status) in cases)
        {
            Assert.True(status == (await client.GetAsync(url)).StatusCode, url);
        }

        Assert.NotEqual(0, health.Port);
        Assert.NotEqual(0, ready.Port);
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stop_DuringLameduck_HealthStaysOkAndReadyTurns503()
    {
        var readiness = new ReadinessTracker();
        readiness.MarkListenersUp();
        await using var server = new OperationsServer(
            new OperationsOptions { Health = AnyLoopbackPort, Ready = AnyLoopbackPort, Lameduck = TimeSpan.FromMinutes(5) },
            null, readiness);
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();
        var readyBefore = await client.GetAsync(Url(server, OperationsServer.ReadyPath));
        using var cut = new CancellationTokenSource();

        var stopping = server.StopAsync(cut.Token);
        var health = await client.GetAsync(Url(server, OperationsServer.HealthPath));
        var ready = await client.GetAsync(Url(server, OperationsServer.ReadyPath));
        var stillStopping = !stopping.IsCompleted;
        await cut.CancelAsync();
        await stopping;

        Assert.Equal(HttpStatusCode.OK, readyBefore.StatusCode);
        Assert.True(stillStopping);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("shutting down", await ready.Content.ReadAsStringAsync());
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Url(server, OperationsServer.HealthPath)));
    }

    private static string Url(OperationsServer server, string path)
    {
        var endpoint = server.BoundEndpoint(path) ?? throw new InvalidOperationException($"{path} is not served");
        return $"http://{endpoint}{path}";
    }
}
