using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Tests.Support;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Kubernetes.Tests.Watching;

/// <summary>
/// The paged list applied page by page: a continue token that expires mid-list (410, as a real server answers once
/// etcd compacted past it) restarts the list from a new snapshot, and the outcome is that snapshot exactly.
/// </summary>
public sealed class ResourceWatcherPagedListTests
{
    private static readonly FakeResource Imports = FakeResource.ServiceImportsV1Alpha1;
    private static readonly ResourceType<ServiceImport> ImportType = ResourceTypes.ServiceImports;

    public static TheoryData<bool> KeepObjects => [true, false];

    [Theory]
    [MemberData(nameof(KeepObjects))]
    public async Task RunAsync_ContinueExpiresAfterFirstPage_EndsWithTheNewSnapshotAndDeletesWhatLeft(bool keepObjects)
    {
        await using var h = await WatchHarness<ServiceImport>.StartAsync();
        foreach (var name in new[] { "s0", "s1", "s2", "s3", "s4" })
        {
            h.Server.Store.Create(Imports, Objects.ServiceImport("ns", name));
        }

        var expired = 0;
        h.Server.OnRequest = request =>
        {
            // Once, before the first continuation: s0 (already applied from page one) goes, s9 comes, the token expires.
            if (request.Contains("continue=", StringComparison.Ordinal) && Interlocked.Exchange(ref expired, 1) == 0)
            {
                h.Server.Store.Delete(Imports, "ns", "s0");
                h.Server.Store.Create(Imports, Objects.ServiceImport("ns", "s9"));
                h.Server.Store.Compact();
            }
        };

        var watcher = h.Watch(ImportType, WatchHarness<ServiceImport>.FastOptions with { KeepObjects = keepObjects, PageSize = 2 });
        await h.Handler.WaitForAsync(r => r.SyncedCalls == 1, "synced");

        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in h.Handler.Events)
        {
            if (change.Type == ResourceEventType.Deleted)
            {
                Assert.True(live.Remove(change.Object.Key), $"deleted {change.Object.Key} before adding it");
            }
            else
            {
                live.Add(change.Object.Key);
            }
        }

        Assert.Equal(1, expired);
        Assert.Equal(["ns/s1", "ns/s2", "ns/s3", "ns/s4", "ns/s9"], live.Order(StringComparer.Ordinal));
        Assert.Equal([ResourceEventType.Added, ResourceEventType.Deleted], h.Handler.For("ns/s0").Select(e => e.Type));
        Assert.Single(h.Handler.For("ns/s1")); // the same resourceVersion in both snapshots: reported once
        Assert.Equal(1, watcher.ListCount);
        Assert.Equal(5, watcher.Count);
    }
}
