using System.Net;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Tests.Support;

namespace DnsMcs.Kubernetes.Tests.Client;

public sealed class KubernetesClientTests
{
    private static readonly FakeResource Imports = FakeResource.ServiceImportsV1Alpha1;
    private static readonly ResourceType<ServiceImport> ImportType = ResourceTypes.ServiceImports;

    private static ServiceImport NewImport(string name, string type = "ClusterSetIP") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "ns" },
        Spec = new ServiceImportSpec { Type = type, Ips = ["10.0.0.9"], Ports = [new ServicePort { Name = "dns", Protocol = "UDP", Port = 53 }] },
    };

    [Fact]
    public async Task ListAsync_MorePagesThanLimit_ReturnsEveryItemAndFirstPageVersion()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        for (var i = 0; i < 7; i++)
        {
            server.Store.Create(Imports, Objects.ServiceImport("ns", $"s{i}"));
        }

        var version = server.Store.ResourceVersion;
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });
        var list = await client.ListAsync(ImportType, new ListOptions { Limit = 3 }, CancellationToken.None);

        Assert.Equal([.. Enumerable.Range(0, 7).Select(i => $"ns/s{i}")], list.Items.Select(i => i.Key));
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
        Assert.Null(list.Metadata.Continue);
        Assert.Equal(3, server.Requests.Count(r => r.Contains("limit=3", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListAsync_ContinueTokenExpiresBetweenPages_RestartsTheList()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        for (var i = 0; i < 4; i++)
        {
            server.Store.Create(Imports, Objects.ServiceImport("ns", $"s{i}"));
        }

        var compacted = 0;
        server.OnRequest = request =>
        {
            // Compact (and write) once, just before the first continuation: its token expires.
            if (request.Contains("continue=", StringComparison.Ordinal) && Interlocked.Exchange(ref compacted, 1) == 0)
            {
                server.Store.Create(Imports, Objects.ServiceImport("ns", "s9"));
                server.Store.Compact();
            }
        };
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });
        var list = await client.ListAsync(ImportType, new ListOptions { Limit = 2 }, CancellationToken.None);

        Assert.Equal(["ns/s0", "ns/s1", "ns/s2", "ns/s3", "ns/s9"], list.Items.Select(i => i.Key));
        Assert.Equal(2, server.Requests.Count(r => r.Contains("limit=2", StringComparison.Ordinal) && !r.Contains("continue=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CrudOperations_AgainstFakeServer_BehaveAsTheApiServer()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });
        var ct = CancellationToken.None;

        var created = await client.CreateAsync(ImportType, NewImport("a"), ct);
        Assert.NotNull(created.Metadata.Uid);
        Assert.Equal("multicluster.x-k8s.io/v1alpha1", created.ApiVersion);

        var duplicate = await Assert.ThrowsAsync<KubernetesConflictException>(() => client.CreateAsync(ImportType, NewImport("a"), ct));
        Assert.True(duplicate.AlreadyExists);

        var read = await client.GetAsync(ImportType, "ns", "a", ct);
        Assert.Equal(created.Metadata.ResourceVersion, read!.Metadata.ResourceVersion);
        Assert.Null(await client.GetAsync(ImportType, "ns", "missing", ct));

        read.Spec!.Type = "Headless";
        var updated = await client.UpdateAsync(ImportType, read, ct);
        Assert.Equal("Headless", updated.Spec!.Type);

        // PUT with the old resourceVersion: someone else changed it since.
        var stale = await Assert.ThrowsAsync<KubernetesConflictException>(() => client.UpdateAsync(ImportType, created, ct));
        Assert.False(stale.AlreadyExists);
        Assert.Contains("the object has been modified", stale.Message, StringComparison.Ordinal);

        var patched = await client.PatchAsync(ImportType, "ns", "a", """{"spec":{"sessionAffinity":"ClientIP"}}""", ct);
        Assert.Equal("ClientIP", patched.Spec!.SessionAffinity);
        Assert.Equal("Headless", patched.Spec.Type);

        patched.Status = new ServiceImportStatus { Clusters = [new ClusterStatus { Cluster = "east" }] };
        patched.Spec.Type = "ClusterSetIP"; // ignored: the status subresource writes status only
        var withStatus = await client.UpdateStatusAsync(ImportType, patched, ct);
        Assert.Equal("east", Assert.Single(withStatus.Status!.Clusters!).Cluster);
        Assert.Equal("Headless", withStatus.Spec!.Type);

        var statusPatched = await client.PatchAsync(ImportType, "ns", "a", """{"status":{"clusters":[{"cluster":"west"}]},"spec":{"type":"ClusterSetIP"}}""", ct, status: true);
        Assert.Equal("west", Assert.Single(statusPatched.Status!.Clusters!).Cluster);
        Assert.Equal("Headless", statusPatched.Spec!.Type);

        Assert.True(await client.DeleteAsync(ImportType, "ns", "a", ct));
        Assert.False(await client.DeleteAsync(ImportType, "ns", "a", ct));
    }

    [Fact]
    public async Task ApplyAsync_MissingThenExisting_CreatesThenMergesWithFieldManager()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });

        var first = await client.ApplyAsync(ImportType, NewImport("b"), "dnsmcs-controller", force: true, CancellationToken.None);
        var second = await client.ApplyAsync(ImportType, NewImport("b", "Headless"), "dnsmcs-controller", force: true, CancellationToken.None);

        Assert.Equal(first.Metadata.Uid, second.Metadata.Uid);
        Assert.Equal("Headless", second.Spec!.Type);
        Assert.Contains(server.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal) && r.Contains("fieldManager=dnsmcs-controller&force=true", StringComparison.Ordinal));
    }

    public static TheoryData<int, string> Failures => new()
    {
        { 403, "Forbidden" },
        { 404, "NotFound" },
        { 500, "InternalError" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task ListAsync_ServerRefuses_ThrowsWithServerStatus(int code, string reason)
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        server.FailNextRequests(code);
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(ImportType, new ListOptions(), CancellationToken.None));
        Assert.Equal((HttpStatusCode)code, error.StatusCode);
        Assert.Equal(reason, error.Reason);
        Assert.Contains($"injected failure {code}", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string?> Discovery => new()
    {
        { ["v1alpha1", "v1beta1"], "v1beta1" },
        { ["v1alpha1"], "v1alpha1" },
        { [], null },
    };

    [Theory]
    [MemberData(nameof(Discovery))]
    public async Task DiscoverAsync_ServedVersions_PrefersV1Beta1(string[] served, string? expected)
    {
        var resources = FakeResource.Defaults.Where(r => r.Plural != "serviceimports").ToList();
        resources.AddRange(served.Select(v => v == "v1beta1" ? FakeResource.ServiceImportsV1Beta1 : FakeResource.ServiceImportsV1Alpha1));
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { Resources = resources });
        server.Store.EnsureNamespace("ns");
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });

        var type = await client.DiscoverAsync(ResourceTypes.ServiceImports, ResourceTypes.MulticlusterVersions, CancellationToken.None);

        Assert.Equal(expected, type?.Descriptor.Version);
        if (type is not null)
        {
            server.Store.Create(FakeResource.ServiceImportsV1Alpha1, Objects.ServiceImport("ns", "x"));
            var list = await client.ListAsync(type, new ListOptions(), CancellationToken.None);
            Assert.Equal($"multicluster.x-k8s.io/{expected}", Assert.Single(list.Items).ApiVersion);
        }
    }

    [Fact]
    public async Task WatchAsync_NoResourceVersion_StartsWithCurrentObjectsThenBookmark()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });

        await using var watch = await client.WatchAsync(ImportType, new WatchOptions { SendInitialEvents = true }, CancellationToken.None);
        var added = await watch.ReadAsync(CancellationToken.None);
        var end = await watch.ReadAsync(CancellationToken.None);

        Assert.Equal(WatchEventType.Added, added!.Type);
        Assert.Equal("ns/a", added.Object!.Key);
        Assert.Equal(WatchEventType.Bookmark, end!.Type);
        Assert.True(end.IsInitialEventsEnd);
        Assert.Equal(server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), end.ResourceVersion);
    }

    [Fact]
    public async Task WatchAsync_TimeoutSeconds_ServerEndsStreamCleanly()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Store.EnsureNamespace("ns");
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });
        var from = server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var watch = await client.WatchAsync(ImportType, new WatchOptions { ResourceVersion = from, TimeoutSeconds = 1, AllowWatchBookmarks = false }, CancellationToken.None);
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        Assert.Null(await watch.ReadAsync(safety.Token));
    }
}
