using DnsMcs.Controller.Sync;
using DnsMcs.Controller.Tests.Support;
using DnsMcs.FakeKubeApi;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Sync;

public sealed class ExportImportTests(ITestOutputHelper output)
{
    private const string Ns = "shop";

    [Fact]
    public async Task Export_FromOneMember_ImportsIntoBothWithVipAndSlices()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, Ns);
        }

        clusters.Service("east", Ns, "cart");
        clusters.Slice("east", Ns, "cart", "cart-abc", ["10.1.0.1", "10.1.0.2"], withHostnames: true);
        clusters.Export("east", Ns, "cart");
        clusters.Start(clusters.Settings());

        var derivedName = DerivedNames.Service(Ns, "cart");
        foreach (var c in clusters.Names)
        {
            await Eventually.TrueAsync(() => clusters.Import(c, Ns, "cart")?["spec"]?["ips"]?.AsArray().Count == 1 && clusters.MirroredSlices(c, Ns, "cart").Count == 1 && clusters.Import(c, Ns, "cart")?["status"]?["clusters"] is not null, $"import in {c}");
            var import = clusters.Import(c, Ns, "cart")!;
            var derived = clusters.Get(c, FakeResource.Services, Ns, derivedName)!;
            Assert.Equal("ClusterSetIP", import["spec"]!["type"]!.GetValue<string>());
            Assert.Equal(80, import["spec"]!["ports"]![0]!["port"]!.GetValue<int>());
            Assert.Equal(derived["spec"]!["clusterIP"]!.GetValue<string>(), import["spec"]!["ips"]![0]!.GetValue<string>());
            Assert.Equal("east", import["status"]!["clusters"]![0]!["cluster"]!.GetValue<string>());
            Assert.Equal(import["metadata"]!["uid"]!.GetValue<string>(), derived["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
            Assert.Equal("cart", derived["metadata"]!["annotations"]![McsLabels.ServiceImportAnnotation]!.GetValue<string>());
            Assert.Null(derived["spec"]!["selector"]);

            var slice = clusters.MirroredSlices(c, Ns, "cart").Single();
            var labels = slice["metadata"]!["labels"]!;
            Assert.Equal("east", labels[McsLabels.SourceCluster]!.GetValue<string>());
            Assert.Equal(derivedName, labels[McsLabels.KubeServiceName]!.GetValue<string>());
            Assert.Equal(McsLabels.EndpointSliceManager, labels[McsLabels.EndpointSliceManagedBy]!.GetValue<string>());
            var endpoints = slice["endpoints"]!.AsArray();
            Assert.Equal(["10.1.0.1", "10.1.0.2"], endpoints.Select(e => e!["addresses"]![0]!.GetValue<string>()));
            Assert.Equal("cart-0", endpoints[0]!["hostname"]!.GetValue<string>());
            Assert.True(endpoints[0]!["conditions"]!["ready"]!.GetValue<bool>());
            Assert.Null(endpoints[0]!["nodeName"]);
            Assert.Equal(8080, slice["ports"]![0]!["port"]!.GetValue<int>());
        }

        var export = clusters.ExportObject("east", Ns, "cart");
        Assert.Equal("True", Clusters.Condition(export, "Valid"));
        Assert.Equal("False", Clusters.Condition(export, "Conflict"));
        Assert.Equal("NoConflicts", Clusters.Condition(export, "Conflict", "reason"));
        Assert.Null(Clusters.Condition(export, "Ready"));
    }

    [Fact]
    public async Task Export_Headless_ImportHasNoVipButSlicesAreMirrored()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Namespace("west", Ns);
        clusters.Service("east", Ns, "db", headless: true);
        clusters.Slice("east", Ns, "db", "db-1", ["10.1.0.7"], withHostnames: true);
        clusters.Export("east", Ns, "db");
        clusters.Start(clusters.Settings());

        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", Ns, "db").Count == 1 && clusters.Import("west", Ns, "db")?["status"]?["clusters"] is not null, "headless import in west");
        var import = clusters.Import("west", Ns, "db")!;
        Assert.Equal("Headless", import["spec"]!["type"]!.GetValue<string>());
        Assert.Empty(import["spec"]!["ips"]!.AsArray());
        Assert.Empty(clusters.DerivedServices("west", Ns));
        Assert.Equal("db-0", clusters.MirroredSlices("west", Ns, "db")[0]["endpoints"]![0]!["hostname"]!.GetValue<string>());
    }

    [Fact]
    public async Task Export_InTwoMembers_SlicesFromBothInEveryMember()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west", "north");
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, Ns);
        }

        clusters.Service("east", Ns, "cart");
        clusters.Slice("east", Ns, "cart", "cart-e", ["10.1.0.1"]);
        clusters.Export("east", Ns, "cart");
        clusters.Service("west", Ns, "cart");
        clusters.Slice("west", Ns, "cart", "cart-w", ["10.2.0.1"]);
        clusters.Export("west", Ns, "cart");
        clusters.Start(clusters.Settings());

        foreach (var c in clusters.Names)
        {
            await Eventually.TrueAsync(() => clusters.MirroredSlices(c, Ns, "cart").Count == 2 && clusters.Import(c, Ns, "cart")?["status"]?["clusters"]?.AsArray().Count == 2, $"two sources in {c}");
            Assert.Equal(["east", "west"], clusters.MirroredSlices(c, Ns, "cart").Select(s => s["metadata"]!["labels"]![McsLabels.SourceCluster]!.GetValue<string>()).Order());
        }
    }

    public static TheoryData<string, string, string, string> Conflicts => new()
    {
        // east's ports/type, west's ports/type, the reason on west's export, the merged import type
        { """[{"name":"http","port":80}]""", """[{"name":"http","port":81}]""", "PortConflict", "ClusterSetIP" },
        { """[{"name":"http","port":80}]""", "headless", "TypeConflict", "ClusterSetIP" },
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public async Task Export_Conflicting_YoungerExportGetsConflictCondition(string eastPorts, string west, string reason, string type)
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Namespace("west", Ns);
        clusters.Service("east", Ns, "cart", eastPorts);
        clusters.Export("east", Ns, "cart");
        if (west == "headless")
        {
            clusters.Service("west", Ns, "cart", eastPorts, headless: true);
        }
        else
        {
            clusters.Service("west", Ns, "cart", west);
        }

        // Created in the same second, ties go to the cluster name: east is "older".
        clusters.Export("west", Ns, "cart");
        clusters.Start(clusters.Settings());

        await Eventually.TrueAsync(() => Clusters.Condition(clusters.ExportObject("west", Ns, "cart"), "Conflict") == "True", "conflict on west");
        Assert.Equal(reason, Clusters.Condition(clusters.ExportObject("west", Ns, "cart"), "Conflict", "reason"));
        Assert.Equal("True", Clusters.Condition(clusters.ExportObject("west", Ns, "cart"), "Valid"));
        await Eventually.TrueAsync(() => Clusters.Condition(clusters.ExportObject("east", Ns, "cart"), "Conflict") == "False", "no conflict on east");
        await Eventually.TrueAsync(() => clusters.Import("west", Ns, "cart")?["spec"]?["ports"]?[0]?["port"]?.GetValue<int>() == 80, "import with the oldest's port");
        Assert.Equal(type, clusters.Import("west", Ns, "cart")!["spec"]!["type"]!.GetValue<string>());
        Assert.Single(clusters.Import("west", Ns, "cart")!["spec"]!["ports"]!.AsArray());
    }

    public static TheoryData<string?, string> Invalid => new()
    {
        { null, "NoService" },
        { "ExternalName", "InvalidServiceType" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Export_Invalid_ValidFalseWithReasonAndNoImport(string? serviceType, string reason)
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Namespace("west", Ns);
        if (serviceType is not null)
        {
            clusters.Service("east", Ns, "cart", type: serviceType);
        }

        clusters.Export("east", Ns, "cart");
        clusters.Start(clusters.Settings());

        await Eventually.TrueAsync(() => Clusters.Condition(clusters.ExportObject("east", Ns, "cart"), "Valid") == "False", "Valid False");
        Assert.Equal(reason, Clusters.Condition(clusters.ExportObject("east", Ns, "cart"), "Valid", "reason"));
        Assert.Null(clusters.Import("west", Ns, "cart"));
    }

    [Fact]
    public async Task Export_V1Beta1Served_ReadyConditionExported()
    {
        FakeResource[] resources = [.. FakeResource.Defaults, FakeResource.ServiceExportsV1Beta1, FakeResource.ServiceImportsV1Beta1];
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), resources, "east");
        clusters.Namespace("east", Ns);
        clusters.Service("east", Ns, "cart");
        clusters.Export("east", Ns, "cart");
        clusters.Start(clusters.Settings());

        await Eventually.TrueAsync(() => Clusters.Condition(clusters.ExportObject("east", Ns, "cart"), "Ready") == "True", "Ready True");
        Assert.Equal("Exported", Clusters.Condition(clusters.ExportObject("east", Ns, "cart"), "Ready", "reason"));
    }

    [Fact]
    public async Task Unexport_LastExporter_RemovesEverythingOursAndNothingElse()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Namespace("west", Ns);
        clusters.Service("east", Ns, "cart");
        clusters.Slice("east", Ns, "cart", "cart-abc", ["10.1.0.1"]);
        clusters.Export("east", Ns, "cart");

        // A user's slice that looks like an MCS one, but is not labelled as ours: never touched.
        clusters["west"].Store.Create(FakeResource.EndpointSlices, """{"metadata":{"name":"foreign","namespace":"shop","labels":{"multicluster.kubernetes.io/service-name":"cart","kubernetes.io/service-name":"x"}},"addressType":"IPv4","endpoints":[]}""");
        clusters.Start(clusters.Settings());
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", Ns, "cart").Count == 2 && clusters.DerivedServices("west", Ns).Count == 1, "imported");

        clusters.Unexport("east", Ns, "cart");

        foreach (var c in clusters.Names)
        {
            await Eventually.TrueAsync(() => clusters.Import(c, Ns, "cart") is null && clusters.DerivedServices(c, Ns).Count == 0, $"import gone in {c}");
        }

        await Eventually.TrueAsync(() => clusters.MirroredSlices("east", Ns, "cart").Count == 0 && clusters.MirroredSlices("west", Ns, "cart").Count == 1, "slices gone");
        Assert.Equal("foreign", clusters.MirroredSlices("west", Ns, "cart")[0]["metadata"]!["name"]!.GetValue<string>());
        Assert.NotNull(clusters.Get("east", FakeResource.Services, Ns, "cart"));
        Assert.NotNull(clusters.Get("east", FakeResource.EndpointSlices, Ns, "cart-abc"));
    }

    [Fact]
    public async Task Unexport_OneOfTwo_WithdrawsOnlyItsSlices()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, Ns);
            clusters.Service(c, Ns, "cart");
            clusters.Slice(c, Ns, "cart", $"cart-{c}", [c == "east" ? "10.1.0.1" : "10.2.0.1"]);
            clusters.Export(c, Ns, "cart");
        }

        clusters.Start(clusters.Settings());
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", Ns, "cart").Count == 2, "both sources");

        // Deleting the Service (not the export) withdraws too: the export becomes invalid.
        clusters["east"].Store.Delete(FakeResource.Services, Ns, "cart");

        foreach (var c in clusters.Names)
        {
            await Eventually.TrueAsync(() => clusters.MirroredSlices(c, Ns, "cart").Select(s => s["metadata"]!["labels"]![McsLabels.SourceCluster]!.GetValue<string>()).SequenceEqual(["west"]), $"only west's slices in {c}");
        }

        await Eventually.TrueAsync(() => Clusters.Condition(clusters.ExportObject("east", Ns, "cart"), "Valid", "reason") == "NoService", "east NoService");
        Assert.NotNull(clusters.Import("west", Ns, "cart"));
    }

    [Fact]
    public async Task Import_NamespaceMissing_NotImportedUntilItExists()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Service("east", Ns, "cart");
        clusters.Export("east", Ns, "cart");
        clusters.Start(clusters.Settings());
        await Eventually.TrueAsync(() => clusters.Import("east", Ns, "cart") is not null, "import in east");
        Assert.Null(clusters.Import("west", Ns, "cart"));

        clusters.Namespace("west", Ns);
        await Eventually.TrueAsync(() => clusters.Import("west", Ns, "cart") is not null, "import in west after its namespace appears");
    }

    [Fact]
    public async Task EndpointChange_InExporter_MirroredEverywhere()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Namespace("west", Ns);
        clusters.Service("east", Ns, "cart");
        clusters.Slice("east", Ns, "cart", "cart-abc", ["10.1.0.1"]);
        clusters.Export("east", Ns, "cart");
        clusters.Start(clusters.Settings());
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", Ns, "cart").Count == 1, "mirrored");

        clusters.Slice("east", Ns, "cart", "cart-abc", ["10.1.0.1", "10.1.0.9"]);

        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", Ns, "cart").Single()["endpoints"]!.AsArray().Count == 2, "new endpoint mirrored");
    }
}
