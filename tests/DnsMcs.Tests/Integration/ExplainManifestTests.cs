namespace DnsMcs.Tests.Integration;

/// <summary><c>dnsmcs explain</c> over a folder with a bad manifest: the object is not served, and explain says which field and why.</summary>
public sealed class ExplainManifestTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"dnsmcs-explain-{Guid.NewGuid():N}");

    public ExplainManifestTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Explain_ImportRejectedByTheManifestSource_GivesFileLineFieldAndWhy()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "namespace.yaml"), """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            """);
        var bad = Path.Combine(_directory, "cart.yaml");
        await File.WriteAllTextAsync(bad, """
            apiVersion: multicluster.x-k8s.io/v1alpha1
            kind: ServiceImport
            metadata:
              name: cart
              namespace: shop
            spec:
              type: ClusterSetIP
              ips: ["10.0.0.300"]
            """);

        var run = await ExplainRun.RunAsync("cart.shop.svc.clusterset.local", "--manifests", _directory);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("cart.shop.svc.clusterset.local A: NXDOMAIN", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"ServiceImport shop/cart was rejected by the manifest source at {bad}:8: spec.ips[0] \"10.0.0.300\" is not an IP address", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ManifestFolderMissing_ExitsOne()
    {
        // System.CommandLine checks --manifests exists before anything runs: a usage error, not an unreadable source.
        var run = await ExplainRun.RunAsync("web.shop.svc.clusterset.local", "--manifests", Path.Combine(_directory, "missing"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("does not exist", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
