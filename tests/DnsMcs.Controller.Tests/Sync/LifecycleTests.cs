using DnsMcs.Controller.Tests.Support;
using DnsMcs.FakeKubeApi;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Sync;

public sealed class LifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Resync_SteadyState_NoWrites()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        Seed(clusters, services: 5);
        var running = clusters.Start(clusters.Settings() with { ResyncPeriod = TimeSpan.FromMilliseconds(300) });
        await ConvergedAsync(clusters, services: 5);

        // Let anything in flight settle, then count writes over several full resyncs.
        await Task.Delay(500);
        var before = clusters.Names.ToDictionary(c => c, clusters.Writes);
        var reconciles = running.Controller.Reconciles;
        await Eventually.TrueAsync(() => running.Controller.Reconciles >= reconciles + (3 * 5), "three resyncs of every key");

        foreach (var c in clusters.Names)
        {
            Assert.Equal(before[c], clusters.Writes(c));
        }
    }

    [Fact]
    public async Task Restart_MidWay_ConvergesWithoutDuplicatesOrOrphans()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        Seed(clusters, services: 8);

        // Slow the servers so the first controller is stopped with only part of the work done.
        clusters["west"].ResponseDelay = TimeSpan.FromMilliseconds(30);
        var first = clusters.Start(clusters.Settings("first") with { Workers = 1 });
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "svc-0").Count > 0 || clusters.Import("west", "shop", "svc-0") is not null, "some progress");
        await first.StopAsync();
        clusters["west"].ResponseDelay = TimeSpan.Zero;

        // Meanwhile the world changes: one export goes, one endpoint moves.
        clusters.Unexport("east", "shop", "svc-7");
        clusters.Slice("east", "shop", "svc-1", "svc-1-a", ["10.9.9.9"]);

        clusters.Start(clusters.Settings("second"));
        await ConvergedAsync(clusters, services: 7);
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "svc-1").Single()["endpoints"]![0]!["addresses"]![0]!.GetValue<string>() == "10.9.9.9", "moved endpoint");
        foreach (var c in clusters.Names)
        {
            await Eventually.TrueAsync(() => clusters.Import(c, "shop", "svc-7") is null && clusters.MirroredSlices(c, "shop", "svc-7").Count == 0, $"svc-7 gone from {c}");
            Assert.Equal(7, clusters.DerivedServices(c, "shop").Count);
            Assert.Equal(7, clusters[c].Store.List(FakeResource.ServiceImportsV1Alpha1).Count);
            Assert.Equal(7, clusters[c].Store.List(FakeResource.EndpointSlices).Count(s => s["metadata"]!["labels"]?[McsLabels.EndpointSliceManagedBy]?.GetValue<string>() == McsLabels.EndpointSliceManager));
        }
    }

    [Fact]
    public async Task StaleCluster_UnreachablePastTimeout_EndpointsWithdrawn()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, "shop");
            clusters.Service(c, "shop", "cart");
            clusters.Slice(c, "shop", "cart", $"cart-{c}", [c == "east" ? "10.1.0.1" : "10.2.0.1"]);
            clusters.Export(c, "shop", "cart");
        }

        var settings = clusters.Settings() with { StaleClusterTimeout = TimeSpan.FromSeconds(1) };
        settings = settings with { LeaderElection = settings.LeaderElection with { Member = "west" } };
        clusters.Start(settings);
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "cart").Count == 2, "both sources in west");

        await clusters["east"].StopAsync();

        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "cart").Select(s => s["metadata"]!["labels"]![McsLabels.SourceCluster]!.GetValue<string>()).SequenceEqual(["west"]), "east withdrawn from west");
        await Eventually.TrueAsync(() => clusters.Import("west", "shop", "cart")?["status"]?["clusters"]?.AsArray().Count == 1, "status without east");

        await clusters["east"].StartAgainAsync();
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "cart").Count == 2, "east back");
    }

    [Fact]
    public async Task UnreachableMember_NoStaleTimeout_KeepsLastKnownEndpoints()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, "shop");
        }

        clusters.Service("east", "shop", "cart");
        clusters.Slice("east", "shop", "cart", "cart-1", ["10.1.0.1"]);
        clusters.Export("east", "shop", "cart");
        clusters.Service("west", "shop", "other");
        clusters.Export("west", "shop", "other");
        var settings = clusters.Settings();
        var running = clusters.Start(settings with { LeaderElection = settings.LeaderElection with { Member = "west" } });
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "cart").Count == 1, "mirrored");

        await clusters["east"].StopAsync();
        await Eventually.TrueAsync(() => running.Controller.Members.Single(m => m.Name == "east").DisconnectedSince is not null, "east seen unreachable");

        // A change elsewhere makes the controller reconcile while east is away: east's endpoints stay.
        clusters["west"].Store.Delete(FakeResource.ServiceExportsV1Alpha1, "shop", "other");
        await Eventually.TrueAsync(() => clusters.Import("west", "shop", "other") is null, "other withdrawn");
        Assert.Single(clusters.MirroredSlices("west", "shop", "cart"));
        Assert.NotNull(clusters.Import("west", "shop", "cart"));
    }

    [Fact]
    public async Task UnknownMemberAtStart_AfterInitialSyncTimeout_OthersReconciledAndItsSlicesKept()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west", "north");
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, "shop");
        }

        clusters.Service("east", "shop", "cart");
        clusters.Slice("east", "shop", "cart", "cart-1", ["10.1.0.1"]);
        clusters.Export("east", "shop", "cart");

        // What an earlier run mirrored from north, which is down when this run starts.
        var derived = DnsMcs.Controller.Sync.DerivedNames.Service("shop", "cart");
        clusters["west"].Store.Create(FakeResource.EndpointSlices, $$$"""
            {"metadata":{"name":"{{{derived}}}-north","namespace":"shop","labels":{
              "endpointslice.kubernetes.io/managed-by":"{{{McsLabels.EndpointSliceManager}}}","multicluster.kubernetes.io/service-name":"cart",
              "multicluster.kubernetes.io/source-cluster":"north","kubernetes.io/service-name":"{{{derived}}}"}},
             "addressType":"IPv4","endpoints":[{"addresses":["10.3.0.1"]}]}
            """);
        await clusters["north"].StopAsync();
        var settings = clusters.Settings() with { InitialSyncTimeout = TimeSpan.FromMilliseconds(300) };
        clusters.Start(settings with { LeaderElection = settings.LeaderElection with { Member = "west" } });

        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "cart").Count == 2 && clusters.Import("west", "shop", "cart")?["status"]?["clusters"]?.AsArray().Count == 2, "east mirrored, north kept");
        Assert.Equal(["east", "north"], clusters.Import("west", "shop", "cart")!["status"]!["clusters"]!.AsArray().Select(c => c!["cluster"]!.GetValue<string>()));
    }

    internal static void Seed(Clusters clusters, int services)
    {
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, "shop");
        }

        for (var i = 0; i < services; i++)
        {
            clusters.Service("east", "shop", $"svc-{i}");
            clusters.Slice("east", "shop", $"svc-{i}", $"svc-{i}-a", [$"10.1.{i}.1"]);
            clusters.Export("east", "shop", $"svc-{i}");
        }
    }

    internal static async Task ConvergedAsync(Clusters clusters, int services)
    {
        foreach (var c in clusters.Names)
        {
            for (var i = 0; i < services; i++)
            {
                var name = $"svc-{i}";
                await Eventually.TrueAsync(
                    () => clusters.Import(c, "shop", name)?["spec"]?["ips"]?.AsArray().Count == 1
                        && clusters.Import(c, "shop", name)?["status"]?["clusters"]?.AsArray().Count == 1
                        && clusters.MirroredSlices(c, "shop", name).Count == 1
                        && Clusters.Condition(clusters.ExportObject("east", "shop", name), "Valid") == "True",
                    $"{name} in {c}");
            }
        }
    }
}
