using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;

namespace DnsMcs.Kubernetes.Tests.FakeApi;

/// <summary>
/// The fake answers as a real kube-apiserver v1.32 did: each row replays a recorded request (the same
/// method and path, a body that breaks the same rule) and compares the status code, the Warning header
/// and the whole Status body (reason, message, details and causes) with the recording.
/// </summary>
public sealed class RecordedAnswersTests
{
    private const string Lease = """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"shop"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15}}""";

    public static TheoryData<string, string?, string, string?> Refusals => new()
    {
        // file, content type, body, query to add
        { "post-crd-schema-violation.txt", null, """{"apiVersion":"multicluster.x-k8s.io/v1alpha1","kind":"ServiceImport","metadata":{"name":"bad"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]}}""", null },
        { "post-invalid-endpointslice.txt", null, """{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"Bad_Name","labels":{"multicluster.kubernetes.io/source-cluster":"cluster-a.this-label-value-is-far-longer-than-sixty-three-characters-allowed"}},"addressType":"IPv4","endpoints":[{"addresses":["fd00::1"],"hostname":"DB-0"}]}""", null },
        { "post-missing-namespace-lease.txt", null, """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"dnsmcs-controller"},"spec":{"holderIdentity":"a"}}""", null },
        { "post-unknown-field-strict.txt", null, """{"apiVersion":"multicluster.x-k8s.io/v1beta1","kind":"ServiceImport","metadata":{"name":"strict"},"spec":{"type":"Headless","ports":[{"port":80}]},"bogus":1}""", null },
        { "post-conflict.txt", null, Lease, null },
        { "put-stale-resourceversion.txt", null, Lease.Replace("\"namespace\":\"shop\"", "\"namespace\":\"shop\",\"resourceVersion\":\"1\"", StringComparison.Ordinal), null },
        { "reader-forbidden-write.txt", null, """{"apiVersion":"multicluster.x-k8s.io/v1alpha1","kind":"ServiceImport","metadata":{"name":"web"},"spec":{"type":"ClusterSetIP","ports":[{"port":80}]}}""", null },
        { "ssa-unknown-field.txt", "application/apply-patch+yaml", """{"apiVersion":"multicluster.x-k8s.io/v1beta1","kind":"ServiceImport","metadata":{"name":"web","namespace":"shop"},"spec":{"type":"ClusterSetIP","ports":[{"port":80,"protocol":"TCP"}]},"key":"shop/web"}""", null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Write_BreakingWhatTheServerRefused_AnswersAsRecorded(string file, string? contentType, string body, string? query)
    {
        var recording = Recording.Load(file);
        await using var server = await StartAsync();
        using var http = Client(server, file == "reader-forbidden-write.txt" ? "testbed-reader" : "admin");

        using var response = await SendAsync(http, recording, contentType, body, query);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(recording.StatusCode, (int)response.StatusCode);
        Assert.True(JsonNode.DeepEquals(recording.Body, answer), $"recorded:\n{recording.Body}\nfake:\n{answer}");
    }

    public static TheoryData<string, string, string> BuiltInApplies => new()
    {
        // path, body with a field outside the schema, the object as the typed-patch error names it
        { "/api/v1/namespaces/shop/services/derived", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"derived","namespace":"shop"},"spec":{"ports":[{"port":80}]},"key":"shop/derived"}""", "(shop/derived; /v1, Kind=Service): .key: field not declared in schema" },
        { "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices/mirror", """{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"mirror","namespace":"shop"},"addressType":"IPv4","endpoints":[{"addresses":["10.1.0.1"],"bogus":true}]}""", "(shop/mirror; discovery.k8s.io/v1, Kind=EndpointSlice): .endpoints[0].bogus: field not declared in schema" },
        { "/apis/coordination.k8s.io/v1/namespaces/shop/leases/l2", """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l2","namespace":"shop","key":"x"},"spec":{}}""", "(shop/l2; coordination.k8s.io/v1, Kind=Lease): .metadata.key: field not declared in schema" },
    };

    [Theory]
    [MemberData(nameof(BuiltInApplies))]
    public async Task Apply_BuiltInWithUndeclaredField_Answers500LikeTheRecordedServiceImport(string path, string body, string expected)
    {
        var recording = Recording.Load("ssa-unknown-field.txt");
        await using var server = await StartAsync();
        using var http = Client(server, "admin");

        using var response = await SendAsync(http, recording with { Path = path + "?fieldManager=demo&force=true" }, "application/apply-patch+yaml", body, null);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("failed to create typed patch object " + expected, answer["message"]!.GetValue<string>());
        answer["message"] = recording.Body!["message"]!.GetValue<string>();
        Assert.True(JsonNode.DeepEquals(recording.Body, answer), $"recorded:\n{recording.Body}\nfake:\n{answer}");
    }

    [Fact]
    public async Task Post_UnknownFieldByDefault_PrunesWithWarningAsRecorded()
    {
        var recording = Recording.Load("post-unknown-field-default.txt");
        await using var server = await StartAsync();
        using var http = Client(server, "admin");

        using var response = await SendAsync(http, recording, null, """{"apiVersion":"multicluster.x-k8s.io/v1beta1","kind":"ServiceImport","metadata":{"name":"pruned"},"spec":{"type":"Headless","ports":[{"port":80}]},"bogus":true}""", null);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(recording.StatusCode, (int)response.StatusCode);
        Assert.Equal(recording.Header("warning"), Assert.Single(response.Headers.GetValues("Warning")));
        Assert.Null(created["bogus"]);
        Assert.True(JsonNode.DeepEquals(recording.Body!["spec"], created["spec"]));
    }

    [Fact]
    public async Task Apply_WithinTheSchema_CreatesAsRecorded()
    {
        var recording = Recording.Load("ssa-ok.txt");
        await using var server = await StartAsync();
        using var http = Client(server, "admin");

        using var response = await SendAsync(http, recording, "application/apply-patch+yaml", """{"apiVersion":"multicluster.x-k8s.io/v1beta1","kind":"ServiceImport","metadata":{"name":"web","namespace":"shop"},"spec":{"type":"ClusterSetIP","ports":[{"port":80,"protocol":"TCP"}]}}""", null);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(recording.StatusCode, (int)response.StatusCode);
        Assert.True(JsonNode.DeepEquals(recording.Body!["spec"], created["spec"]));
    }

    public static TheoryData<string> Discovery => ["discovery-multicluster-v1alpha1.txt", "discovery-multicluster-v1beta1.txt", "discovery-discovery-v1.txt", "discovery-coordination-v1.txt"];

    [Theory]
    [MemberData(nameof(Discovery))]
    public async Task Discovery_GroupVersion_ListsResourcesAsRecorded(string file)
    {
        var recording = Recording.Load(file);
        await using var server = await StartAsync();
        using var http = Client(server, "admin");

        var answer = JsonNode.Parse(await http.GetStringAsync(recording.Path))!.AsObject();

        // storageVersionHash is the real server's digest of its storage schema: not something a fake can derive.
        foreach (var resource in recording.Body!["resources"]!.AsArray())
        {
            resource!.AsObject().Remove("storageVersionHash");
        }

        Assert.True(JsonNode.DeepEquals(recording.Body, answer), $"recorded:\n{recording.Body}\nfake:\n{answer}");
    }

    [Fact]
    public async Task Discovery_Groups_PreferV1Beta1AsRecorded()
    {
        var recording = Recording.Load("discovery-apis.txt");
        await using var server = await StartAsync();
        using var http = Client(server, "admin");

        var answer = JsonNode.Parse(await http.GetStringAsync(recording.Path))!.AsObject();

        var recorded = recording.Body!["groups"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == "multicluster.x-k8s.io");
        var fake = answer["groups"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == "multicluster.x-k8s.io");
        Assert.True(JsonNode.DeepEquals(recorded, fake), $"recorded:\n{recorded}\nfake:\n{fake}");
    }

    [Fact]
    public async Task Watch_FromCompactedVersion_SendsTheRecordedErrorEvent()
    {
        var recording = Recording.Load("watch-expired-resourceversion.txt");
        await using var server = await StartAsync();
        server.Store.Compact();
        using var http = Client(server, "admin");

        using var response = await http.GetAsync(recording.Path, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var answer = JsonNode.Parse((await reader.ReadLineAsync())!)!.AsObject();

        // The message names the server's own compaction point ("too old resource version: 1 (211)"): compare its shape.
        var message = answer["object"]!["message"]!.GetValue<string>();
        Assert.Matches(@"^too old resource version: 1 \(\d+\)$", message);
        answer["object"]!["message"] = recording.Body!["object"]!["message"]!.GetValue<string>();
        Assert.Equal(recording.StatusCode, (int)response.StatusCode);
        Assert.True(JsonNode.DeepEquals(recording.Body, answer), $"recorded:\n{recording.Body}\nfake:\n{answer}");
    }

    [Fact]
    public async Task List_Paged_CarriesContinueAndRemainingItemCountAsRecorded()
    {
        var recording = Recording.Load("list-serviceimports-paged.txt");
        await using var server = await StartAsync();
        foreach (var name in new[] { "pruned", "web" })
        {
            server.Store.Create(FakeResource.ServiceImportsV1Alpha1, $$$"""{"metadata":{"name":"{{{name}}}","namespace":"shop"},"spec":{"type":"Headless","ports":[{"port":80}]}}""");
        }

        using var http = Client(server, "admin");

        var answer = JsonNode.Parse(await http.GetStringAsync(recording.Path))!.AsObject();

        Assert.Equal(recording.Body!["kind"]!.GetValue<string>(), answer["kind"]!.GetValue<string>());
        Assert.Equal(recording.Body["apiVersion"]!.GetValue<string>(), answer["apiVersion"]!.GetValue<string>());
        Assert.Equal(recording.Body["metadata"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal), answer["metadata"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(recording.Body["metadata"]!["remainingItemCount"]!.GetValue<int>(), answer["metadata"]!["remainingItemCount"]!.GetValue<int>());
        Assert.Equal(recording.Body["items"]![0]!["metadata"]!["name"]!.GetValue<string>(), answer["items"]![0]!["metadata"]!["name"]!.GetValue<string>());
    }

    private static async Task<FakeKubeApiServer> StartAsync()
    {
        var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions
        {
            Resources = [.. FakeResource.Defaults, FakeResource.ServiceImportsV1Beta1, FakeResource.ServiceExportsV1Beta1],
            Rbac = new FakeRbac()
                .Allow("admin", ["*"], ["*"], ["*"])
                .Allow("testbed-reader", ["*"], ["*"], ["get", "list", "watch"]),
        });
        server.Store.EnsureNamespace("shop");
        server.Store.Create(FakeResource.Leases, Lease);
        return server;
    }

    private static HttpClient Client(FakeKubeApiServer server, string token)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, Recording recording, string? contentType, string body, string? query)
    {
        var request = new HttpRequestMessage(new HttpMethod(recording.Method), recording.Path + query)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        return http.SendAsync(request);
    }
}
