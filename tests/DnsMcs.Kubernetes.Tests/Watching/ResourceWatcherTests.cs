using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Tests.Support;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Kubernetes.Tests.Watching;

public sealed class ResourceWatcherTests
{
    private static readonly FakeResource Imports = FakeResource.ServiceImportsV1Alpha1;
    private static readonly ResourceType<ServiceImport> ImportType = ResourceTypes.ServiceImports;

    private static bool IsWatch(string request) => request.Contains("watch=true", StringComparison.Ordinal);

    private static bool IsList(string request) => request.StartsWith("GET /apis/multicluster.x-k8s.io/v1alpha1/serviceimports", StringComparison.Ordinal) && !IsWatch(request);

    [Fact]
    public async Task RunAsync_ExistingObjectsAndChanges_ReportsAddedUpdatedDeletedAfterSynced()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            h.Server.Store.Create(Imports, Objects.ServiceImport("ns", $"svc{i}"));
        }

        var watcher = h.Watch(ImportType);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        Assert.Equal(5, h.Handler.Events.Count(e => e.Type == ResourceEventType.Added));
        Assert.True(h.CountRequests(r => IsList(r) && r.Contains("continue=", StringComparison.Ordinal)) >= 2); // 5 objects, pages of 2

        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "new"));
        h.Server.Store.Patch(Imports, "ns", "svc1", JsonNode.Parse("""{"spec":{"type":"Headless"}}""")!.AsObject());
        h.Server.Store.Delete(Imports, "ns", "svc2");
        await h.Handler.WaitForAsync(r => r.For("ns/svc2").Any(e => e.Type == ResourceEventType.Deleted), "svc2 deleted");

        Assert.Equal(ResourceEventType.Added, Assert.Single(h.Handler.For("ns/new")).Type);
        var update = h.Handler.For("ns/svc1")[^1];
        Assert.Equal(ResourceEventType.Updated, update.Type);
        Assert.Equal("ClusterSetIP", update.OldObject!.Spec!.Type);
        Assert.Equal("Headless", update.Object.Spec!.Type);
        Assert.All(h.Handler.Events, e => Assert.True(e.ArrivedAt > 0));
        Assert.Equal(5, watcher.Count);
        Assert.Equal(h.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), watcher.ResourceVersion);
        Assert.True(watcher.ConnectionState.Connected);
    }

    [Fact]
    public async Task RunAsync_LabelSelector_SeesOnlyMatchingAndDeletesWhenRelabelled()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "yes", labels: new() { ["app"] = "dns" }));
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "no", labels: new() { ["app"] = "web" }));
        h.Watch(ImportType, WatchHarness<ServiceImport>.FastOptions with { LabelSelector = "app=dns" });
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");

        h.Server.Store.Patch(Imports, "ns", "no", JsonNode.Parse("""{"metadata":{"labels":{"app":"dns"}}}""")!.AsObject());
        h.Server.Store.Patch(Imports, "ns", "yes", JsonNode.Parse("""{"metadata":{"labels":{"app":"web"}}}""")!.AsObject());
        await h.Handler.WaitForAsync(r => r.For("ns/yes").Any(e => e.Type == ResourceEventType.Deleted), "yes leaves the selection");

        Assert.Equal([ResourceEventType.Added, ResourceEventType.Deleted], h.Handler.For("ns/yes").Select(e => e.Type));
        Assert.Equal([ResourceEventType.Added], h.Handler.For("ns/no").Select(e => e.Type));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_StreamCutMidEvent_ResumesFromLastVersionWithoutRelist(bool cleanly)
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        var watcher = h.Watch(ImportType);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await WaitForWatchAsync(h);

        h.Server.CutWatches(cleanly);
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "b"));
        await h.Handler.WaitForAsync(r => r.For("ns/b").Count > 0, "b added after the cut");

        Assert.Equal(1, watcher.ListCount);
        Assert.Equal(2, h.Handler.Events.Count); // a and b, nothing from the half event
        Assert.True(h.CountRequests(IsWatch) >= 2);
        Assert.All(h.Handler.Events, e => Assert.Equal(ResourceEventType.Added, e.Type));
    }

    [Fact]
    public async Task RunAsync_ServerRestartsWithNewerVersion_RelistsWithSyntheticDeletesAndOnlyRealUpdates()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        foreach (var name in new[] { "same", "changed", "gone" })
        {
            h.Server.Store.Create(Imports, Objects.ServiceImport("ns", name));
        }

        var watcher = h.Watch(ImportType);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await WaitForWatchAsync(h);

        await h.Server.StopAsync();
        await h.Handler.WaitForAsync(_ => !watcher.ConnectionState.Connected, "disconnected while stopped");
        Assert.Equal(3, watcher.Count); // the last known state survives
        h.Server.Store.Delete(Imports, "ns", "gone");
        h.Server.Store.Patch(Imports, "ns", "changed", JsonNode.Parse("""{"spec":{"type":"Headless"}}""")!.AsObject());
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "born"));
        await h.Server.RestartAsync(resourceVersionJump: 5000);

        await h.Handler.WaitForAsync(r => r.For("ns/gone").Any(e => e.Type == ResourceEventType.Deleted) && r.For("ns/born").Count > 0 && r.For("ns/changed").Count > 1, "relist reconciled");
        Assert.Equal(2, watcher.ListCount);
        Assert.Single(h.Handler.For("ns/same"));
        Assert.Equal(ResourceEventType.Updated, h.Handler.For("ns/changed")[^1].Type);
        Assert.Equal(3, watcher.Count);
        Assert.Equal(1, h.Handler.SyncedCalls);
        await h.Handler.WaitForAsync(_ => watcher.ConnectionState.Connected, "connected again");
        Assert.Contains(h.Handler.States, s => !s.Connected);
    }

    public static TheoryData<string> GoneKinds => ["error-event", "http-410"];

    [Theory]
    [MemberData(nameof(GoneKinds))]
    public async Task RunAsync_GoneDuringWatch_RelistsAndEmitsSyntheticDelete(string kind)
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "keep"));
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "gone"));
        var watcher = h.Watch(ImportType);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await WaitForWatchAsync(h);

        await h.Server.StopAsync();
        h.Server.Store.Delete(Imports, "ns", "gone");
        if (kind == "error-event")
        {
            h.Server.Store.Compact(); // the watch from the old version gets an ERROR event with code 410
        }
        else
        {
            h.Server.FailNextRequests(410); // the watch request itself is answered 410
        }

        await h.Server.StartAgainAsync();
        await h.Handler.WaitForAsync(r => r.For("ns/gone").Any(e => e.Type == ResourceEventType.Deleted), "synthetic delete");
        Assert.Equal(2, watcher.ListCount);
        Assert.Single(h.Handler.For("ns/keep"));
        Assert.True(watcher.TryGet("ns/keep", out _));
        Assert.False(watcher.TryGet("ns/gone", out _));
    }

    [Fact]
    public async Task RunAsync_SlowServerBeyondRequestTimeout_ReportsDisconnectedThenSyncsWhenFast()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync(requestTimeout: TimeSpan.FromMilliseconds(200));
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        h.Server.ResponseDelay = TimeSpan.FromSeconds(2);
        var watcher = h.Watch(ImportType);
        await h.Handler.WaitForAsync(r => r.States.Any(s => !s.Connected && s.Reason == "request timed out"), "timed out");
        Assert.False(watcher.IsSynced);

        h.Server.ResponseDelay = TimeSpan.Zero;
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced once the server is fast");
        Assert.True(watcher.ConnectionState.Connected);
    }

    [Fact]
    public async Task RunAsync_IdleStream_WatchdogReconnectsAndCatchesUp()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        var watcher = h.Watch(ImportType, WatchHarness<ServiceImport>.FastOptions with { IdleTimeout = TimeSpan.FromSeconds(1) });
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await WaitForWatchAsync(h);

        h.Server.StallWatches();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "late"));
        await h.Handler.WaitForAsync(r => r.For("ns/late").Count > 0, "event seen after the watchdog reconnects");
        Assert.Equal(1, watcher.ListCount);
        Assert.True(h.CountRequests(IsWatch) >= 2);
    }

    [Fact]
    public async Task RunAsync_Bookmarks_MoveResourceVersionWithoutEvents()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        var watcher = h.Watch(ImportType);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await WaitForWatchAsync(h);

        // Writes to another resource move the global resourceVersion; only a bookmark tells this watch.
        h.Server.Store.Create(FakeResource.Namespaces, Objects.Namespace("other"));
        var expected = h.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        h.Server.SendBookmarks();
        await Eventually.TrueAsync(() => watcher.ResourceVersion == expected, "bookmark version");
        Assert.Empty(h.Handler.Events);
    }

    [Fact]
    public async Task RunAsync_StreamingList_SyncsFromInitialEventsWithoutList()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "b"));
        var watcher = h.Watch(ImportType, WatchHarness<ServiceImport>.FastOptions with { UseStreamingList = true });
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");

        Assert.Equal(2, h.Handler.Events.Count);
        Assert.Equal(0, h.CountRequests(IsList));
        Assert.Contains(h.Server.Requests, r => r.Contains("sendInitialEvents=true", StringComparison.Ordinal) && r.Contains("resourceVersionMatch=NotOlderThan", StringComparison.Ordinal));

        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "c"));
        await h.Handler.WaitForAsync(r => r.For("ns/c").Count > 0, "c added on the same stream");
        Assert.Equal(1, watcher.ListCount);

        // After a cut the watch resumes from the bookmark's version: no second streaming list.
        h.Server.CutWatches();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "d"));
        await h.Handler.WaitForAsync(r => r.For("ns/d").Count > 0, "d added after the cut");
        Assert.Equal(1, watcher.ListCount);
        Assert.Equal(1, h.CountRequests(r => r.Contains("sendInitialEvents=true", StringComparison.Ordinal)));
        Assert.Equal(4, h.Handler.Events.Count);
    }

    [Fact]
    public async Task RunAsync_StreamingListRejected_FallsBackToListAndWatch()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync(new FakeKubeApiOptions { SupportsWatchList = false, BookmarkInterval = TimeSpan.FromMilliseconds(500) });
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        h.Watch(ImportType, WatchHarness<ServiceImport>.FastOptions with { UseStreamingList = true });
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");

        Assert.Single(h.Handler.Events);
        Assert.Equal(1, h.CountRequests(IsList));
    }

    [Fact]
    public async Task RunAsync_UnauthorizedThenTokenRotated_RereadsTokenFileAndResumes()
    {
        var dir = Directory.CreateTempSubdirectory("dnsmcs-token");
        try
        {
            var tokenPath = Path.Combine(dir.FullName, "token");
            await File.WriteAllTextAsync(tokenPath, "old-token\n");
            var credentials = new DnsMcs.Kubernetes.Credentials.TokenFileCredentialProvider(tokenPath) { RefreshInterval = TimeSpan.FromHours(1) };
            await using var h = await WatchHarness<ServiceImport>.StartAsync(new FakeKubeApiOptions { Tokens = ["old-token"] }, credentials);
            var watcher = h.Watch(ImportType);
            await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
            await WaitForWatchAsync(h);

            // kubelet rotates the projected token; the server stops accepting the old one.
            await File.WriteAllTextAsync(tokenPath, "new-token\n");
            h.Server.AcceptedTokens["new-token"] = true;
            h.Server.AcceptedTokens.TryRemove("old-token", out _);
            h.Server.CutWatches();
            h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "after-rotation"));

            await h.Handler.WaitForAsync(r => r.For("ns/after-rotation").Count > 0, "event after rotation");
            Assert.Equal(1, watcher.ListCount);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_CredentialPluginFailsUntilLogin_ReportsReasonThenSyncs()
    {
        using var folder = new TempFolder();
        folder.Write("status.json", """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"plugin-token"}}""");
        var script = folder.Write("plugin.sh", """
            #!/bin/sh
            here=$(dirname "$0")
            [ -f "$here/logged-in" ] || { echo "not logged in" >&2; exit 1; }
            cat "$here/status.json"
            """, executable: true);
        using var plugin = new DnsMcs.Kubernetes.Credentials.ExecCredentialProvider(new DnsMcs.Kubernetes.Credentials.ExecPluginSettings { Command = script });
        await using var h = await WatchHarness<ServiceImport>.StartAsync(new FakeKubeApiOptions { Tokens = ["plugin-token"] }, plugin);
        var watcher = h.Watch(ImportType);

        await h.Handler.WaitForAsync(r => r.States.Any(s => s.Reason?.Contains("not logged in", StringComparison.Ordinal) == true), "the plugin's error as the reason");
        folder.Write("logged-in", string.Empty);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced after login");
        Assert.True(watcher.ConnectionState.Connected);
    }

    [Fact]
    public async Task RunAsync_ServerStopped_KeepsCacheAndReportsDisconnected()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        var watcher = h.Watch(ImportType);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await WaitForWatchAsync(h);

        await h.Server.StopAsync();
        await h.Handler.WaitForAsync(_ => !watcher.ConnectionState.Connected, "disconnected");
        Assert.NotNull(watcher.ConnectionState.Reason);
        Assert.True(watcher.TryGet("ns/a", out var kept));
        Assert.Equal("a", kept!.Metadata.Name);
        Assert.DoesNotContain(h.Handler.Events, e => e.Type == ResourceEventType.Deleted);

        await h.Server.StartAgainAsync();
        await h.Handler.WaitForAsync(_ => watcher.ConnectionState.Connected, "connected again");
        Assert.Equal(1, watcher.ListCount); // history was kept: the watch resumed, no relist
    }

    private static async Task WaitForWatchAsync<T>(WatchHarness<T> h)
        where T : KubernetesObject
    {
        await Eventually.TrueAsync(() => h.Server.ActiveWatches > 0, "a watch is open");
    }
}
