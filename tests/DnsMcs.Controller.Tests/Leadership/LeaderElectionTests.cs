using DnsMcs.Controller.Tests.Support;
using DnsMcs.FakeKubeApi;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Leadership;

public sealed class LeaderElectionTests(ITestOutputHelper output)
{
    public static TheoryData<bool> Release => new() { true, false };

    [Theory]
    [MemberData(nameof(Release))]
    public async Task Failover_LeaderStops_StandbyTakesOverAndReconciles(bool releaseOnCancel)
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", "shop");
        clusters.Namespace("west", "shop");
        clusters.Service("east", "shop", "cart");
        clusters.Export("east", "shop", "cart");

        var one = clusters.Settings("one");
        var first = clusters.Start(one with { LeaderElection = one.LeaderElection with { ReleaseOnCancel = releaseOnCancel } });
        await Eventually.TrueAsync(() => Holder(clusters) == "one" && clusters.Import("west", "shop", "cart") is not null, "one leads and imports");
        var second = clusters.Start(clusters.Settings("two"));
        await Eventually.TrueAsync(() => second.Controller.Members.All(m => m.IsSynced), "standby synced");
        Assert.False(second.Controller.IsLeading);

        // Only the leader reconciles: the standby watches (warm caches) but never ran a reconcile.
        Assert.Equal(0, second.Controller.Reconciles);
        await first.StopAsync();
        Assert.False(first.Controller.IsLeading);

        await Eventually.TrueAsync(() => Holder(clusters) == "two" && second.Controller.IsLeading, "two takes over");
        clusters.Service("east", "shop", "pay");
        clusters.Export("east", "shop", "pay");
        await Eventually.TrueAsync(() => clusters.Import("west", "shop", "pay") is not null, "the new leader reconciles");
    }

    [Fact]
    public async Task Leader_LeaseTakenBySomeoneElse_StopsLeading()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east");
        var running = clusters.Start(clusters.Settings("one"));
        await Eventually.TrueAsync(() => running.Controller.IsLeading, "leading");

        // Another holder writes itself in (as after a partition); the leader's next renewal sees it and stops.
        var lease = clusters["east"].Store.Get(FakeResource.Leases, "kube-system", "dnsmcs-controller")!;
        lease["spec"]!["holderIdentity"] = "intruder";
        lease["metadata"]!.AsObject().Remove("resourceVersion");
        clusters["east"].Store.Update(FakeResource.Leases, lease);

        await Eventually.TrueAsync(() => !running.Controller.IsLeading, "stopped leading");
    }

    private static string? Holder(Clusters clusters) =>
        clusters["east"].Store.Get(FakeResource.Leases, "kube-system", "dnsmcs-controller")?["spec"]?["holderIdentity"]?.GetValue<string>();
}
