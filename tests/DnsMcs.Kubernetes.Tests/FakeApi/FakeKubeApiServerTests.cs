using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Tests.Support;

namespace DnsMcs.Kubernetes.Tests.FakeApi;

/// <summary>The fake speaks the API server's protocol, checked with a plain HttpClient (not the client under test).</summary>
public sealed class FakeKubeApiServerTests
{
    private const string ImportsPath = "/apis/multicluster.x-k8s.io/v1alpha1/namespaces/ns/serviceimports";
    private static readonly FakeResource Imports = FakeResource.ServiceImportsV1Alpha1;

    private static async Task<List<JsonObject>> ReadLinesAsync(HttpResponseMessage response, int count)
    {
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(safety.Token));
        var lines = new List<JsonObject>();
        while (lines.Count < count && await reader.ReadLineAsync(safety.Token) is { } line)
        {
            lines.Add(JsonNode.Parse(line)!.AsObject());
        }

        return lines;
    }

    [Fact]
    public async Task Watch_FromVersion_ReplaysLaterChangesInOrder()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        var from = server.Store.ResourceVersion;
        server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        server.Store.Patch(Imports, "ns", "a", JsonNode.Parse("""{"spec":{"type":"Headless"}}""")!.AsObject());
        server.Store.Delete(Imports, "ns", "a");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync($"{ImportsPath}?watch=true&resourceVersion={from}", HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadLinesAsync(response, 3);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal([from + 1, from + 2, from + 3], events.Select(e => long.Parse(e["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Watch_CompactedVersion_SendsErrorEvent410InOkStream()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        var from = server.Store.ResourceVersion;
        server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        server.Store.Compact();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync($"{ImportsPath}?watch=true&resourceVersion={from - 1}", HttpCompletionOption.ResponseHeadersRead);
        var error = Assert.Single(await ReadLinesAsync(response, 2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ERROR", error["type"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.Equal("Status", error["object"]!["kind"]!.GetValue<string>());
    }

    public static TheoryData<string, int, string> Refusals => new()
    {
        { $"{ImportsPath}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true", 422, "Invalid" },
        { $"{ImportsPath}?watch=true&resourceVersionMatch=NotOlderThan", 422, "Invalid" },
        { $"{ImportsPath}?fieldSelector=spec.type%3DHeadless", 400, "BadRequest" },
        { "/apis/multicluster.x-k8s.io/v1alpha1/namespaces/ns/serviceimports/missing", 404, "NotFound" },
        { "/apis/nothing.example/v1/things", 404, "NotFound" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Get_InvalidRequest_AnswersStatusBody(string path, int code, string reason)
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync(path);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        Assert.Equal(code, status["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_WithoutAcceptedToken_Answers401Status()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { Tokens = ["good"] });
        server.Store.EnsureNamespace("ns");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "bad");

        using var denied = await http.GetAsync(ImportsPath);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "good");
        using var allowed = await http.GetAsync(ImportsPath);

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("Unauthorized", JsonNode.Parse(await denied.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    public static TheoryData<string, string[]> Selectors => new()
    {
        { "labelSelector=tier%20in%20(web,db)", ["ns/a", "ns/b"] },
        { "labelSelector=tier%20notin%20(web),!canary", ["ns/b", "ns/c"] }, // notin also matches a missing label
        { "labelSelector=tier%3D%3Dweb,canary", ["ns/a"] },
        { "labelSelector=tier!%3Dweb", ["ns/b", "ns/c"] },
        { "fieldSelector=metadata.name%3Db", ["ns/b"] },
        { "fieldSelector=metadata.name!%3Db&labelSelector=tier", ["ns/a"] },
    };

    [Theory]
    [MemberData(nameof(Selectors))]
    public async Task List_Selectors_FilterLikeTheApiServer(string query, string[] expected)
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        server.Store.Create(Imports, Objects.ServiceImport("ns", "a", labels: new() { ["tier"] = "web", ["canary"] = "true" }));
        server.Store.Create(Imports, Objects.ServiceImport("ns", "b", labels: new() { ["tier"] = "db" }));
        server.Store.Create(Imports, Objects.ServiceImport("ns", "c"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var list = JsonNode.Parse(await http.GetStringAsync($"{ImportsPath}?{query}"))!;

        Assert.Equal("ServiceImportList", list["kind"]!.GetValue<string>());
        Assert.Equal(expected, list["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}"));
    }

    [Fact]
    public async Task Discovery_Groups_ListServedVersionsAndResources()
    {
        var resources = FakeResource.Defaults.Append(FakeResource.ServiceImportsV1Beta1).ToList();
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { Resources = resources });
        server.Store.EnsureNamespace("ns");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var groups = JsonDocument.Parse(await http.GetStringAsync("/apis"));
        var mcs = groups.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "multicluster.x-k8s.io");
        using var beta = JsonDocument.Parse(await http.GetStringAsync("/apis/multicluster.x-k8s.io/v1beta1"));

        Assert.Equal(["v1beta1", "v1alpha1"], mcs.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal("v1beta1", mcs.GetProperty("preferredVersion").GetProperty("version").GetString());
        Assert.Contains(beta.RootElement.GetProperty("resources").EnumerateArray(), r => r.GetProperty("name").GetString() == "serviceimports");
    }

    [Fact]
    public async Task Patch_StrategicMergeFromKubectlApply_RebuildsKeyedListInOrder()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        server.Store.Create(FakeResource.Services, """{"metadata":{"name":"s1","namespace":"default"},"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}""");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        // What kubectl apply sends when port 80 becomes 81 and 443 stays.
        var patch = """{"spec":{"$setElementOrder/ports":[{"port":81},{"port":443}],"ports":[{"port":81,"name":"http"},{"$patch":"delete","port":80}]}}""";
        using var content = new StringContent(patch, System.Text.Encoding.UTF8, "application/strategic-merge-patch+json");
        using var response = await http.PatchAsync("/api/v1/namespaces/default/services/s1", content);
        var ports = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["spec"]!["ports"]!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["81/http", "443/https"], ports.Select(p => $"{p!["port"]}/{p["name"]}"));
        Assert.False(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject().ContainsKey("status"));
    }

    [Fact]
    public async Task Patch_StrategicMergeOnCustomResource_Answers415()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/strategic-merge-patch+json");
        using var response = await http.PatchAsync($"{ImportsPath}/a", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
