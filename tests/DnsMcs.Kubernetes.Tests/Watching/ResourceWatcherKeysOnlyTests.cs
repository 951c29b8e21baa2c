using System.Text.Json.Nodes;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Tests.Support;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.FakeKubeApi;

namespace DnsMcs.Kubernetes.Tests.Watching;

/// <summary>The watcher with <see cref="ResourceWatcherOptions.KeepObjects"/> off: relists work from keys and resourceVersions alone.</summary>
public sealed class ResourceWatcherKeysOnlyTests
{
    private static readonly FakeResource Imports = FakeResource.ServiceImportsV1Alpha1;
    private static readonly ResourceType<ServiceImport> ImportType = ResourceTypes.ServiceImports;
    private static readonly ResourceWatcherOptions KeysOnly = WatchHarness<ServiceImport>.FastOptions with { KeepObjects = false };

    public static TheoryData<string> GoneKinds => ["error-event", "http-410"];

    [Theory]
    [MemberData(nameof(GoneKinds))]
    public async Task RunAsync_KeysOnlyGoneDuringWatch_RelistsAndDeletesVanishedKeyWithTombstone(string kind)
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "keep"));
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "gone"));
        var watcher = h.Watch(ImportType, KeysOnly);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await Eventually.TrueAsync(() => h.Server.ActiveWatches > 0, "a watch is open");
        var lastSeen = h.Handler.For("ns/gone")[^1].Object.Metadata.ResourceVersion;

        await h.Server.StopAsync();
        h.Server.Store.Delete(Imports, "ns", "gone");
        if (kind == "error-event")
        {
            h.Server.Store.Compact();
        }
        else
        {
            h.Server.FailNextRequests(410);
        }

        await h.Server.StartAgainAsync();
        await h.Handler.WaitForAsync(r => r.For("ns/gone").Any(e => e.Type == ResourceEventType.Deleted), "synthetic delete");
        var tombstone = h.Handler.For("ns/gone")[^1].Object;
        Assert.Equal(("ns", "gone", lastSeen), (tombstone.Metadata.Namespace, tombstone.Metadata.Name, tombstone.Metadata.ResourceVersion));
        Assert.Null(tombstone.Spec); // only the key is known: nothing else is made up
        Assert.Equal(2, watcher.ListCount);
        Assert.Single(h.Handler.For("ns/keep")); // same resourceVersion on the relist: no event
        Assert.Equal(1, watcher.Count);
    }

    [Fact]
    public async Task RunAsync_KeysOnlyRelistAfterRestart_ReportsOnlyChangedVersionsWithoutOldObject()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        foreach (var name in new[] { "same", "changed", "gone" })
        {
            h.Server.Store.Create(Imports, Objects.ServiceImport("ns", name));
        }

        var watcher = h.Watch(ImportType, KeysOnly);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");
        await Eventually.TrueAsync(() => h.Server.ActiveWatches > 0, "a watch is open");

        await h.Server.StopAsync();
        h.Server.Store.Delete(Imports, "ns", "gone");
        h.Server.Store.Patch(Imports, "ns", "changed", JsonNode.Parse("""{"spec":{"type":"Headless"}}""")!.AsObject());
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "born"));
        await h.Server.RestartAsync(resourceVersionJump: 5000);

        await h.Handler.WaitForAsync(r => r.For("ns/gone").Any(e => e.Type == ResourceEventType.Deleted) && r.For("ns/born").Count > 0 && r.For("ns/changed").Count > 1, "relist reconciled");
        Assert.Equal(2, watcher.ListCount);
        Assert.Single(h.Handler.For("ns/same"));
        var update = h.Handler.For("ns/changed")[^1];
        Assert.Equal((ResourceEventType.Updated, "Headless", null), (update.Type, update.Object.Spec!.Type, update.OldObject));
        Assert.Equal(3, watcher.Count);
    }

    [Fact]
    public async Task RunAsync_KeysOnlyStreamingListThenCut_ReportsAddedThenOnlyTheRealUpdate()
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        var watcher = h.Watch(ImportType, KeysOnly with { UseStreamingList = true });
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");

        // A cut after the initial events resumes the watch; only the real change after it is reported.
        h.Server.CutWatches();
        h.Server.Store.Patch(Imports, "ns", "a", JsonNode.Parse("""{"spec":{"type":"Headless"}}""")!.AsObject());
        await h.Handler.WaitForAsync(r => r.For("ns/a").Count > 1, "a updated");

        Assert.Equal([ResourceEventType.Added, ResourceEventType.Updated], h.Handler.For("ns/a").Select(e => e.Type));
        Assert.Equal(1, watcher.Count);
    }

    public static TheoryData<string> ObjectReads => ["TryGet", "Snapshot"];

    [Theory]
    [MemberData(nameof(ObjectReads))]
    public async Task ObjectReads_KeysOnly_ThrowInsteadOfAnsweringEmpty(string read)
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "a"));
        var watcher = h.Watch(ImportType, KeysOnly);
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");

        Action act = read == "TryGet" ? () => watcher.TryGet("ns/a", out _) : () => watcher.Snapshot();
        var error = Assert.Throws<InvalidOperationException>(act);
        Assert.Contains("KeepObjects", error.Message, StringComparison.Ordinal);
    }
}
