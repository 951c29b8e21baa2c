using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DnsMcs.Tests.Integration;

/// <summary>
/// <c>dnsmcs explain</c> as a user runs it, beside <c>dnsmcs serve</c> on the same manifests: its rcode and records
/// are what dig gets from the server, its JSON parses, its exit codes say what went wrong, and the running server's
/// /debug/explain says the same as the command.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ExplainProcessTests(ServerFixture server)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static TheoryData<string, string> Questions() => new()
    {
        { "web.shop.svc.clusterset.local", "A" },
        { "web.shop.svc.clusterset.local", "AAAA" },
        { "web.shop.svc.clusterset.local", "SRV" },
        { "_http._tcp.web.shop.svc.clusterset.local", "SRV" },
        { "api.shop.svc.clusterset.local", "AAAA" },
        { "db.data.svc.clusterset.local", "A" },
        { "_postgres._tcp.db.data.svc.clusterset.local", "SRV" },
        { "db-0.cluster-b.eu.db.data.svc.clusterset.local", "A" },
        { "empty.data.svc.clusterset.local", "A" },
        { "cluster-a.web.shop.svc.clusterset.local", "A" },
        { "nosuch.shop.svc.clusterset.local", "A" },
        { "clusterset.local", "NS" },
        { "example.com", "A" },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task Explain_SameManifestsAsServe_AnswersWhatDigGets(string name, string type)
    {
        // serve's ns.dns address defaults to its --listen address; explain has no listener, so it is told.
        var run = await ExplainRun.RunAsync(name, type, "--manifests", server.ManifestDirectory, "--ns-address", "127.0.0.1", "--output", "json");
        var dig = await server.DigAsync(name, type, "+tcp");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json();
        Assert.Equal(dig.Status, json.GetProperty("rcode").GetString());
        Assert.Equal(dig.Answer, ExplainRun.Records(json, "answer"));
        Assert.Equal(dig.Authority, ExplainRun.Records(json, "authority"));
        Assert.Equal(dig.Additional, ExplainRun.Records(json, "additional"));
        Assert.All(json.GetProperty("answer").EnumerateArray(), record => Assert.False(string.IsNullOrEmpty(record.GetProperty("rule").GetString())));
        Assert.Equal(dig.Answer.Count == 0 || dig.Status != "NOERROR", json.GetProperty("reason").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Explain_HeadlessWithNothingReady_ExplainsNxdomainByItsEndpoints()
    {
        var run = await ExplainRun.RunAsync("empty.data.svc.clusterset.local", "--manifests", server.ManifestDirectory);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("empty.data.svc.clusterset.local A: NXDOMAIN", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("headless service with no ready endpoints", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("EndpointSlice data/empty-cluster-a (cluster cluster-a) endpoints[0] 10.1.2.1, not ready (conditions.ready is false)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_HeadlessService_NamesTheSlicesAndClustersBehindEachAddress()
    {
        var run = await ExplainRun.RunAsync("db.data.svc.clusterset.local", "--manifests", server.ManifestDirectory, "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var from = run.Json().GetProperty("answer").EnumerateArray()
            .ToDictionary(r => r.GetProperty("data").GetString()!, r => r.GetProperty("from").EnumerateArray().Single());
        Assert.Equal(["10.1.1.1", "10.1.1.2", "10.2.1.1"], from.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("db-cluster-a", from["10.1.1.1"].GetProperty("name").GetString());
        Assert.Equal("cluster-a", from["10.1.1.2"].GetProperty("cluster").GetString());
        Assert.Equal("db-cluster-b-eu", from["10.2.1.1"].GetProperty("name").GetString());
        Assert.Equal("cluster-b.eu", from["10.2.1.1"].GetProperty("cluster").GetString());
        Assert.Equal("endpoints[0]", from["10.2.1.1"].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("no source", new[] { "web.shop.svc.clusterset.local" })]
    [InlineData("is not a record type", new[] { "web.shop.svc.clusterset.local", "BOGUS", "--manifests", "." })]
    [InlineData("is not a domain name", new[] { "a..b", "--manifests", "." })]
    [InlineData("cannot be combined", new[] { "web.shop.svc.clusterset.local", "--member", "a=/x", "--kubeconfig", "/y" })]
    public async Task Explain_BadUsage_ExitsOneAndSaysWhy(string expected, string[] arguments)
    {
        var run = await ExplainRun.RunAsync(arguments);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(expected.Replace("no source", "explain needs a source", StringComparison.Ordinal), run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("NOERROR", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_KubeconfigMissing_ExitsTwoWithOneLine()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"dnsmcs-missing-{Guid.NewGuid():N}");

        var run = await ExplainRun.RunAsync("web.shop.svc.clusterset.local", "--kubeconfig", missing);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("sources unreadable: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(missing, run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task Explain_ApiServerNotAnswering_ExitsTwoAfterTheTimeout()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"dnsmcs-kc-{Guid.NewGuid():N}");
        var closed = "http://127.0.0.1:" + DnsMcsProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: "{{closed}}"
            users:
            - name: u
              user: {}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);
        try
        {
            var run = await ExplainRun.RunAsync("web.shop.svc.clusterset.local", "--kubeconfig", kubeconfig, "--timeout", "1s");

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("sources unreadable: not synced within 1s: kubernetes/", run.Stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Stdout);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task DebugExplain_RunningServer_SaysWhatTheCommandSays()
    {
        var port = DnsMcsProcess.FreePort();
        var metrics = DnsMcsProcess.FreePort();
        await using var serve = DnsMcsProcess.Start(
            "serve", "--listen", DnsMcsProcess.Listen(port), "--manifests", server.ManifestDirectory,
            "--metrics", DnsMcsProcess.Listen(metrics), "--health", "off", "--ready", "off", "--debug");
        await serve.WaitUntilAnsweringAsync(port, ServerFixture.Zone);

        foreach (var (name, type) in new[] { ("db.data.svc.clusterset.local", "A"), ("empty.data.svc.clusterset.local", "A"), ("_postgres._tcp.db.data.svc.clusterset.local", "SRV") })
        {
            var url = $"http://127.0.0.1:{metrics}/debug/explain?name={Uri.EscapeDataString(name)}&type={type}";
            var response = await Eventually(() => Http.GetAsync(url));
            var body = await response.Content.ReadAsStringAsync();
            var command = await ExplainRun.RunAsync(name, type, "--manifests", server.ManifestDirectory, "--output", "json");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            using var endpoint = JsonDocument.Parse(body);
            var expected = command.Json();
            foreach (var property in new[] { "name", "type", "rcode", "answer", "additional", "reason", "notes" })
            {
                Assert.Equal(expected.GetProperty(property).GetRawText(), endpoint.RootElement.GetProperty(property).GetRawText());
            }

            Assert.Equal(ExplainRun.Records(expected, "authority"), ExplainRun.Records(endpoint.RootElement, "authority"));
        }

        var bad = await Http.GetAsync($"http://127.0.0.1:{metrics}/debug/explain?name=web.shop.svc.clusterset.local&type=BOGUS");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("is not a record type", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Eventually(Func<Task<HttpResponseMessage>> get)
    {
        var deadline = DateTime.UtcNow + DnsMcsProcess.Patience;
        while (true)
        {
            try
            {
                return await get();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Kestrel starts right after the DNS listeners.
                await Task.Delay(100);
            }
        }
    }
}
