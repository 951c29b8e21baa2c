using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Credentials;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Kubernetes.Tests.Support;

/// <summary>A fake API server, a client for it and, on demand, a running watcher; everything torn down with the test.</summary>
internal sealed class WatchHarness<T> : IAsyncDisposable
    where T : KubernetesObject
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    private WatchHarness(FakeKubeApiServer server, KubernetesClient client)
    {
        Server = server;
        Client = client;
    }

    public FakeKubeApiServer Server { get; }

    public KubernetesClient Client { get; }

    public RecordingHandler<T> Handler { get; } = new();

    public ResourceWatcher<T>? Watcher { get; private set; }

    /// <summary>Test defaults: fast backoff, frequent bookmarks, no watch timeouts getting in the way.</summary>
    public static ResourceWatcherOptions FastOptions { get; } = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        IdleTimeout = TimeSpan.FromSeconds(30),
        PageSize = 2,
    };

    public static async Task<WatchHarness<T>> StartAsync(FakeKubeApiOptions? options = null, ICredentialProvider? credentials = null, TimeSpan? requestTimeout = null)
    {
        var server = await FakeKubeApiServer.StartAsync(options ?? new FakeKubeApiOptions { BookmarkInterval = TimeSpan.FromMilliseconds(500) });

        // The namespace the tests write into, as on a real server objects need theirs.
        server.Store.EnsureNamespace("ns");
        var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress, Credentials = credentials ?? AnonymousCredentialProvider.Instance })
        {
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
        };
        return new WatchHarness<T>(server, client);
    }

    public ResourceWatcher<T> Watch(ResourceType<T> type, ResourceWatcherOptions? options = null)
    {
        Watcher = new ResourceWatcher<T>(Client, type, Handler, options ?? FastOptions);
        _run = Task.Run(() => Watcher.RunAsync(_stop.Token));
        return Watcher;
    }

    public int CountRequests(Func<string, bool> predicate) => Server.Requests.Count(predicate);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Client.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
