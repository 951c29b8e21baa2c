using DnsMcs.Controller.Tests.Support;
using DnsMcs.FakeKubeApi;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Sync;

/// <summary>
/// A controller started where something it needs does not hold (a Lease namespace missing, a CRD not
/// served, a verb RBAC forbids) says so once, naming the member, the object and the fix, in
/// <see cref="ControllerProblems"/> (the host's /ready), or fixes it itself; it never idles silently.
/// </summary>
public sealed class PreconditionTests(ITestOutputHelper output)
{
    private const string Ns = "shop";

    [Fact]
    public async Task LeaseNamespaceMissing_AllowedToCreate_CreatesItLeadsAndImports()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        Seed(clusters);
        var settings = clusters.Settings();

        var running = clusters.Start(settings with { LeaderElection = settings.LeaderElection with { Namespace = "dnsmcs-system" } });

        await Eventually.TrueAsync(() => running.Controller.IsLeading && clusters.Import("west", Ns, "cart") is not null, "leading and importing");
        Assert.NotNull(clusters.Get("east", FakeResource.Namespaces, string.Empty, "dnsmcs-system"));
        Assert.NotNull(clusters.Get("east", FakeResource.Leases, "dnsmcs-system", "dnsmcs-controller"));
        Assert.Empty(settings.Problems.Current);
    }

    public static TheoryData<string, string, string> ForbiddenLeases => new()
    {
        // what RBAC grants besides deploy/controller's ClusterRole, what the problem must say, what the fix grants
        { "leases everywhere", "the Lease namespace dnsmcs-system does not exist and RBAC forbids creating it", "kubectl --context <east's context> create namespace dnsmcs-system" },
        { "the Lease Role in dnsmcs only", "RBAC forbids get on Lease dnsmcs-system/dnsmcs-controller", "grant get, create and update on coordination.k8s.io leases in dnsmcs-system" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenLeases))]
    public async Task LeaseNamespaceMissing_RbacForbids_ReportedOnceWithTheFixThenLeadsOnceFixed(string grant, string says, string fix)
    {
        var logs = new TestLoggerFactory(output);
        await using var clusters = await Clusters.StartAsync(logs, "east", "west");
        Seed(clusters);
        foreach (var name in clusters.Names)
        {
            // The controller's identity has what deploy/controller grants (its Lease Role is in namespace dnsmcs).
            clusters[name].Rbac = new FakeRbac().AllowManifests("system:anonymous", FakeRbac.ControllerManifests);
            if (grant == "leases everywhere")
            {
                clusters[name].Rbac!.Allow("system:anonymous", ["coordination.k8s.io"], ["leases"], ["get", "create", "update"]);
            }
        }

        var settings = clusters.Settings();
        var running = clusters.Start(settings with { LeaderElection = settings.LeaderElection with { Namespace = "dnsmcs-system" } });

        await Eventually.TrueAsync(() => settings.Problems.Current.Count > 0, "a problem reported");
        var problem = Assert.Single(settings.Problems.Current);
        Assert.StartsWith("member east: ", problem, StringComparison.Ordinal);
        Assert.Contains(says, problem, StringComparison.Ordinal);
        Assert.Contains(fix, problem, StringComparison.Ordinal);

        // Several retry periods later: still not leading, and the problem was logged once, not per retry.
        var requests = LeaseRequests(clusters);
        await Eventually.TrueAsync(() => LeaseRequests(clusters) >= requests + 6, "retries");
        Assert.False(running.Controller.IsLeading);
        Assert.Single(logs.Warnings, w => w.Contains(says, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Warnings, w => w.StartsWith("4023 ", StringComparison.Ordinal));

        // The user applies the fix: the controller leads without a restart and the problem clears.
        clusters["east"].Store.EnsureNamespace("dnsmcs-system");
        clusters["east"].Rbac!.AllowManifests("system:anonymous", FakeRbac.ControllerManifests, roleNamespace: "dnsmcs-system");
        await Eventually.TrueAsync(() => running.Controller.IsLeading && clusters.Import("west", Ns, "cart") is not null, "leading after the fix");
        Assert.Empty(settings.Problems.Current);
    }

    [Fact]
    public async Task DeployRbac_ControllerInItsNamespace_ExportsAndImportsWithoutAForbiddenRequest()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        Seed(clusters);
        foreach (var name in clusters.Names)
        {
            clusters[name].Store.EnsureNamespace("dnsmcs");
            clusters[name].Rbac = new FakeRbac().AllowManifests("system:anonymous", FakeRbac.ControllerManifests);
        }

        var settings = clusters.Settings();
        var running = clusters.Start(settings with { LeaderElection = settings.LeaderElection with { Namespace = "dnsmcs" } });

        foreach (var name in clusters.Names)
        {
            await Eventually.TrueAsync(() => clusters.Import(name, Ns, "cart")?["status"]?["clusters"] is not null && clusters.MirroredSlices(name, Ns, "cart").Count == 1, $"import in {name}");
        }

        await Eventually.TrueAsync(() => Clusters.Condition(clusters.ExportObject("east", Ns, "cart"), "Valid") == "True", "export conditions written");
        Assert.Empty(settings.Problems.Current);

        // Nothing the controller sent had a field the server would have pruned.
        Assert.All(clusters.Names, name => Assert.Empty(clusters[name].Warnings));
    }

    [Fact]
    public async Task CrdsNotServed_InOneMember_ReportedWithTheFixAndTheOtherMemberStillServed()
    {
        var logs = new TestLoggerFactory(output);
        await using var clusters = await Clusters.StartAsync(logs, "east", "west");
        await using var bare = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { Resources = [FakeResource.Namespaces, FakeResource.Services, FakeResource.EndpointSlices, FakeResource.Leases] });
        Seed(clusters);
        var settings = clusters.Settings();
        settings = settings with
        {
            Members = [.. settings.Members, new MemberSettings("north") { Configuration = new Kubernetes.Configuration.KubernetesClientConfiguration { Server = bare.BaseAddress } }],
            InitialSyncTimeout = TimeSpan.FromSeconds(1),
        };

        clusters.Start(settings);

        await Eventually.TrueAsync(() => settings.Problems.Current.Count > 0 && clusters.Import("west", Ns, "cart") is not null, "problem reported and the others imported");
        var problem = Assert.Single(settings.Problems.Current);
        Assert.Contains("member north: ServiceExport and ServiceImport are not served", problem, StringComparison.Ordinal);
        Assert.Contains("apply -k deploy/crds", problem, StringComparison.Ordinal);
        Assert.Single(logs.Warnings, w => w.Contains("member north", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RbacForbidsWatching_OneResource_ReportedNamingMemberAndResource()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        Seed(clusters);
        clusters["west"].Rbac = new FakeRbac()
            .Allow("system:anonymous", ["multicluster.x-k8s.io", string.Empty, "coordination.k8s.io"], ["*"], ["*"]);
        var settings = clusters.Settings();

        clusters.Start(settings);

        await Eventually.TrueAsync(() => settings.Problems.Current.Any(p => p.Contains("endpointslices", StringComparison.Ordinal)), "problem reported");
        var problem = Assert.Single(settings.Problems.Current);
        Assert.Contains("member west: RBAC forbids watching endpointslices (discovery.k8s.io)", problem, StringComparison.Ordinal);
        Assert.Contains("cannot list resource \"endpointslices\"", problem, StringComparison.Ordinal);
    }

    private static int LeaseRequests(Clusters clusters) => clusters["east"].Requests.Count(r => r.Contains("/namespaces/dnsmcs-system/leases", StringComparison.Ordinal));

    private static void Seed(Clusters clusters)
    {
        foreach (var name in clusters.Names)
        {
            clusters.Namespace(name, Ns);
        }

        clusters.Service("east", Ns, "cart");
        clusters.Slice("east", Ns, "cart", "cart-abc", ["10.1.0.1"]);
        clusters.Export("east", Ns, "cart");
    }
}
