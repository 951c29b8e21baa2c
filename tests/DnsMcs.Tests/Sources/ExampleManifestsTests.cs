using DnsMcs.Sources;
using Microsoft.Extensions.Logging;
using static DnsMcs.Tests.Sources.TranslatorFixtures;

namespace DnsMcs.Tests.Sources;

/// <summary>The shipped demo (examples/clusterset) must load without a single error or warning.</summary>
public sealed class ExampleManifestsTests
{
    [Fact]
    public void ReloadAll_ExampleClusterSet_LoadsEveryObjectCleanly()
    {
        var writer = new RecordingClusterSetWriter();
        var logger = new ListLogger<ManifestSource>();
        using var source = new ManifestSource(new ManifestSourceOptions { Directory = ExampleDirectory() }, writer, logger);

        var result = source.ReloadAll();

        Assert.Empty(logger.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message));
        Assert.Equal(0, result.InvalidFiles);
        Assert.Equal("cluster-a", writer.LocalClusterId);
        Assert.Equal(["data", "shop", "tools"], writer.Namespaces.Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "data/db Headless ips=[] ports=[postgres/TCP/5432]",
                "data/ingest Headless ips=[] ports=[otlp-grpc/TCP/4317]",
                "shop/api ClusterSetIP ips=[10.96.200.20,fd00:96::20] ports=[grpc/TCP/9000]",
                "shop/cache ClusterSetIP ips=[] ports=[redis/TCP/6379]",
                "shop/web ClusterSetIP ips=[10.96.200.10] ports=[http/TCP/80,metrics/TCP/9090,-/TCP/8443]",
            ],
            writer.Services.Values.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Equal(12, writer.Slices.Count);
        Assert.Equal(
            "data/db-cluster-a svc=db cluster=cluster-a InterNetwork ports=[postgres/TCP/5432] "
                + "endpoints=[10.1.3.10 db-0 ready;10.1.3.11 db-1 ready;10.1.3.12 db-2 not-ready]",
            Describe(writer.Slices["data/db-cluster-a"]));
        Assert.Equal(
            "shop/cache-local svc=cache cluster=(local) InterNetwork ports=[redis/TCP/6379] endpoints=[10.100.0.50 - ready]",
            Describe(writer.Slices["shop/cache-local"]));
        Assert.Equal(
            "data/ingest-cluster-b-eu svc=ingest cluster=cluster-b.eu InterNetworkV6 ports=[otlp-grpc/TCP/4317] endpoints=[fd00:b:4::10 - ready]",
            Describe(writer.Slices["data/ingest-cluster-b-eu"]));
    }

    private static string ExampleDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "clusterset");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("examples/clusterset not found above the test binaries");
    }
}
