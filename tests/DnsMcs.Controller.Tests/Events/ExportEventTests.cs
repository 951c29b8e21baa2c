using System.Text.Json.Nodes;
using DnsMcs.Controller.Sync;
using DnsMcs.Controller.Tests.Support;
using DnsMcs.FakeKubeApi;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Events;

/// <summary>What <c>kubectl describe serviceexport</c> would list: Events written into the export's own cluster and namespace.</summary>
public sealed class ExportEventTests(ITestOutputHelper output)
{
    private const string Ns = "shop";

    [Fact]
    public async Task Export_WithoutService_WarningNoServiceOnTheExport()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east");
        clusters.Namespace("east", Ns);
        clusters.Export("east", Ns, "cart");
        clusters.Start(clusters.Settings());

        var warning = await EventAsync(clusters, "east", "NoService");

        var export = clusters.ExportObject("east", Ns, "cart")!;
        Assert.Equal("Warning", Text(warning, "type"));
        Assert.Equal(Ns, Text(warning, "metadata", "namespace"));
        Assert.Equal("multicluster.x-k8s.io/v1alpha1", Text(warning, "involvedObject", "apiVersion"));
        Assert.Equal("ServiceExport", Text(warning, "involvedObject", "kind"));
        Assert.Equal(Ns, Text(warning, "involvedObject", "namespace"));
        Assert.Equal("cart", Text(warning, "involvedObject", "name"));
        Assert.Equal(Text(export, "metadata", "uid"), Text(warning, "involvedObject", "uid"));
        Assert.Equal("dnsmcs-controller", Text(warning, "source", "component"));
        Assert.Equal("dnsmcs-controller", Text(warning, "reportingComponent"));
        Assert.Equal("controller-1", Text(warning, "reportingInstance"));
        Assert.Equal("no Service of this name exists in this namespace", Text(warning, "message"));
        Assert.StartsWith("cart.", Text(warning, "metadata", "name"), StringComparison.Ordinal);
        Assert.Equal(1, warning["count"]!.GetValue<int>());
        Assert.NotNull(warning["firstTimestamp"]);
    }

    [Fact]
    public async Task Export_PortConflict_WarningOnTheYoungerExportOnly()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Namespace("west", Ns);
        clusters.Service("east", Ns, "cart", """[{"name":"http","port":80}]""");
        clusters.Service("west", Ns, "cart", """[{"name":"http","port":81}]""");
        clusters.Export("east", Ns, "cart");
        clusters.Export("west", Ns, "cart");
        clusters.Start(clusters.Settings());

        var warning = await EventAsync(clusters, "west", "PortConflict");

        Assert.Equal("Warning", Text(warning, "type"));
        Assert.Contains("81", Text(warning, "message"), StringComparison.Ordinal);
        Assert.Empty(Events(clusters, "east"));
    }

    [Fact]
    public async Task Import_DerivedServiceNameTaken_WarningImportFailedOnTheExport()
    {
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", Ns);
        clusters.Namespace("west", Ns);
        clusters.Service("east", Ns, "cart");
        clusters.Export("east", Ns, "cart");

        // Someone else's Service holds the derived name in west: the controller must not take it over.
        clusters.Service("west", Ns, DerivedNames.Service(Ns, "cart"));
        var controller = clusters.Start(clusters.Settings());

        var warning = await EventAsync(clusters, "east", "ImportFailed");

        // The failing key is retried with backoff; the same event is not written again on every retry.
        var reconciles = controller.Controller.Reconciles;
        await Eventually.TrueAsync(() => controller.Controller.Reconciles >= reconciles + 3, "three more retries");
        Assert.Single(Events(clusters, "east"), e => Text(e, "reason") == "ImportFailed");

        Assert.Equal("Warning", Text(warning, "type"));
        Assert.StartsWith("cannot import into cluster west: ", Text(warning, "message"), StringComparison.Ordinal);
        Assert.Contains("is not ours", Text(warning, "message"), StringComparison.Ordinal);
        Assert.Equal("cart", Text(warning, "involvedObject", "name"));
    }

    private static async Task<JsonObject> EventAsync(Clusters clusters, string cluster, string reason)
    {
        await Eventually.TrueAsync(() => Events(clusters, cluster).Any(e => Text(e, "reason") == reason), $"a {reason} event in {cluster}");
        return Assert.Single(Events(clusters, cluster), e => Text(e, "reason") == reason);
    }

    private static IReadOnlyList<JsonObject> Events(Clusters clusters, string cluster) => clusters[cluster].Store.List(FakeResource.Events);

    private static string Text(JsonNode node, params string[] path)
    {
        JsonNode? current = node;
        foreach (var step in path)
        {
            current = current?[step];
        }

        return current?.GetValue<string>() ?? string.Empty;
    }
}
