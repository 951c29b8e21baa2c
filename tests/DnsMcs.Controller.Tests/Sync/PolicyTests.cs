using DnsMcs.Controller.Tests.Support;
using DnsMcs.FakeKubeApi;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Sync;

public sealed class PolicyTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, bool> AutoExports => new()
    {
        // namespace, annotations of the Service, exported?
        { "shop", """{"kosmos.io/auto-create-mcs":"true"}""", true },
        { "mcs-shop", "{}", true },
        { "shop", "{}", false },
        { "shop", """{"kosmos.io/auto-create-mcs":"false"}""", false },
    };

    [Theory]
    [MemberData(nameof(AutoExports))]
    public async Task AutoExport_ByAnnotationOrPrefix_ExportCreatedAndImported(string ns, string annotations, bool exported)
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", ns);
        clusters.Namespace("west", ns);
        clusters.Service("east", ns, "cart", annotations: annotations);

        // A control that is always exported, to know the controller has looked at everything.
        clusters.Service("east", ns, "control", annotations: """{"kosmos.io/auto-create-mcs":"true"}""");
        clusters.Start(clusters.Settings() with { AutoExportNamespacePrefixes = ["mcs-"] });

        await Eventually.TrueAsync(() => clusters.Import("west", ns, "control") is not null, "control imported");
        if (exported)
        {
            await Eventually.TrueAsync(() => clusters.Import("west", ns, "cart") is not null, "cart imported");
            Assert.Equal("true", clusters.ExportObject("east", ns, "cart")!["metadata"]!["labels"]![McsLabels.AutoExportedLabel]!.GetValue<string>());
        }
        else
        {
            Assert.Null(clusters.ExportObject("east", ns, "cart"));
            Assert.Null(clusters.Import("west", ns, "cart"));
        }

        // Our own derived Services are never auto-exported, even in a prefixed namespace.
        Assert.DoesNotContain(clusters["east"].Store.List(FakeResource.ServiceExportsV1Alpha1), e => e["metadata"]!["name"]!.GetValue<string>().StartsWith("derived-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AutoExport_AnnotationRemoved_ExportAndImportWithdrawn()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", "shop");
        clusters.Namespace("west", "shop");
        clusters.Service("east", "shop", "cart", annotations: """{"kosmos.io/auto-create-mcs":"true"}""");
        clusters.Start(clusters.Settings());
        await Eventually.TrueAsync(() => clusters.Import("west", "shop", "cart") is not null, "imported");

        clusters["east"].Store.Patch(FakeResource.Services, "shop", "cart", System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"annotations":{"kosmos.io/auto-create-mcs":null}}}""")!.AsObject());

        await Eventually.TrueAsync(() => clusters.ExportObject("east", "shop", "cart") is null && clusters.Import("west", "shop", "cart") is null, "withdrawn");
    }

    [Fact]
    public async Task ExplicitPolicy_OnlyMembersWithUserServiceImport_AndTheirImportSurvivesUnexport()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west", "north");
        foreach (var c in clusters.Names)
        {
            clusters.Namespace(c, "shop");
        }

        clusters.Service("east", "shop", "cart");
        clusters.Slice("east", "shop", "cart", "cart-1", ["10.1.0.1"]);
        clusters.Export("east", "shop", "cart");
        clusters["west"].Store.Create(FakeResource.ServiceImportsV1Alpha1, """{"metadata":{"name":"cart","namespace":"shop"},"spec":{"type":"ClusterSetIP","ports":[]}}""");
        clusters.Start(clusters.Settings() with { ImportPolicy = ImportPolicy.Explicit });

        await Eventually.TrueAsync(() => clusters.Import("west", "shop", "cart")?["spec"]?["ips"]?.AsArray().Count == 1 && clusters.MirroredSlices("west", "shop", "cart").Count == 1, "west imports");
        Assert.Null(clusters.Import("north", "shop", "cart"));
        Assert.Null(clusters.Import("east", "shop", "cart"));
        Assert.Empty(clusters.MirroredSlices("north", "shop", "cart"));
        Assert.Null(clusters.Import("west", "shop", "cart")!["metadata"]!["labels"]?[McsLabels.ManagedBy]);

        clusters.Unexport("east", "shop", "cart");

        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "cart").Count == 0 && clusters.DerivedServices("west", "shop").Count == 0 && clusters.Import("west", "shop", "cart")?["spec"]?["ips"]?.AsArray().Count == 0, "west emptied");
        Assert.NotNull(clusters.Import("west", "shop", "cart"));
    }

    [Fact]
    public async Task ForeignServiceImport_NothingExported_Untouched()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", "shop");
        clusters.Namespace("west", "shop");
        clusters["west"].Store.Create(FakeResource.ServiceImportsV1Alpha1, """{"metadata":{"name":"other","namespace":"shop"},"spec":{"type":"ClusterSetIP","ips":["10.9.0.1"],"ports":[]}}""");
        clusters.Service("east", "shop", "cart");
        clusters.Export("east", "shop", "cart");
        var before = clusters.Import("west", "shop", "other")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var running = clusters.Start(clusters.Settings() with { ResyncPeriod = TimeSpan.FromMilliseconds(200) });

        // Every key, "other" included, is reconciled at start and at each resync.
        await Eventually.TrueAsync(() => clusters.Import("west", "shop", "cart") is not null, "cart imported");
        var reconciles = running.Controller.Reconciles;
        await Eventually.TrueAsync(() => running.Controller.Reconciles >= reconciles + 4, "two more resyncs");

        Assert.Equal(before, clusters.Import("west", "shop", "other")!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task DisconnectedAddress_InImportingMember_LeftOutThereOnly()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", "shop");
        clusters.Namespace("west", "shop");
        clusters.Service("east", "shop", "cart");
        clusters.Slice("east", "shop", "cart", "cart-1", ["10.1.0.1", "10.1.0.2", "10.1.0.3"]);
        clusters.Export("east", "shop", "cart");
        clusters.Start(clusters.Settings());
        await Eventually.TrueAsync(() => clusters.MirroredSlices("west", "shop", "cart").Count == 1, "mirrored");

        clusters["west"].Store.Patch(FakeResource.ServiceImportsV1Alpha1, "shop", "cart", System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"annotations":{"kosmos.io/disconnected-address":"10.1.0.2, 10.1.0.3"}}}""")!.AsObject());

        await Eventually.TrueAsync(() => Addresses(clusters.MirroredSlices("west", "shop", "cart").Single()).SequenceEqual(["10.1.0.1"]), "west leaves them out");
        Assert.Equal("10.1.0.2,10.1.0.3", clusters.MirroredSlices("west", "shop", "cart").Single()["metadata"]!["annotations"]![McsLabels.WithheldAddressesAnnotation]!.GetValue<string>());
        Assert.Equal(["10.1.0.1", "10.1.0.2", "10.1.0.3"], Addresses(clusters.MirroredSlices("east", "shop", "cart").Single()));

        clusters["west"].Store.Patch(FakeResource.ServiceImportsV1Alpha1, "shop", "cart", System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"annotations":{"kosmos.io/disconnected-address":null}}}""")!.AsObject());
        await Eventually.TrueAsync(() => Addresses(clusters.MirroredSlices("west", "shop", "cart").Single()).Count() == 3, "back when reconnected");
    }

    private static IEnumerable<string> Addresses(System.Text.Json.Nodes.JsonObject slice) =>
        slice["endpoints"]!.AsArray().SelectMany(e => e!["addresses"]!.AsArray().Select(a => a!.GetValue<string>()));
}
