using DnsMcs.FakeKubeApi;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>A fake API server with a kubeconfig file pointing at it (what --kubeconfig or --member takes).</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private FakeCluster(FakeKubeApiServer server, string kubeconfig)
    {
        Server = server;
        Kubeconfig = kubeconfig;
    }

    public FakeKubeApiServer Server { get; }

    public string Kubeconfig { get; }

    public static async Task<FakeCluster> StartAsync(FakeKubeApiOptions? options = null, string? token = null)
    {
        var server = await FakeKubeApiServer.StartAsync(options);

        // The namespace the tests' objects live in: a real server refuses objects in a namespace that does not exist.
        server.Store.EnsureNamespace("shop");
        var path = Path.Combine(Path.GetTempPath(), $"dnsmcs-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, server.Kubeconfig(token));
        return new FakeCluster(server, path);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        File.Delete(Kubeconfig);
    }
}
