using DnsMcs.Kubernetes.Client;
using DnsMcs.Metrics;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.Zone;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Kubernetes;

/// <summary>
/// Distributed mode: one cluster's ServiceImports, MCS EndpointSlices, Namespaces and the id.k8s.io
/// ClusterProperty, each through its own watcher, into the index. Every watcher is registered with the
/// index at start, so negative answers stay SERVFAIL until all four have listed once. Losing the API
/// server never empties the index: watchers keep their caches and resume or relist.
/// </summary>
internal sealed class KubernetesSource : IHostedService, IDisposable
{
    private static readonly string[] ClusterPropertyVersions = ["v1alpha1", "v1beta1"];

    private readonly KubernetesSourceOptions _options;
    private readonly IClusterSetWriter _writer;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Action<TimeSpan>? _programmed;
    private readonly SourceMetrics? _metrics;
    private readonly string _prefix;
    private readonly CancellationTokenSource _stopping = new();
    private KubernetesClient? _client;
    private Task? _running;

    public KubernetesSource(KubernetesSourceOptions options, IClusterSetWriter writer, ILoggerFactory loggers, Action<TimeSpan>? programmed = null, string sourcePrefix = "kubernetes", SourceMetrics? metrics = null)
    {
        _metrics = metrics;
        _options = options;
        _writer = writer;
        _loggers = loggers;
        _logger = loggers.CreateLogger<KubernetesSource>();
        _programmed = programmed;
        _prefix = sourcePrefix;
    }

    /// <summary>The handlers by resource, for readiness details.</summary>
    public IReadOnlyList<(string Source, Func<WatchConnectionState> Connection)> Watches { get; private set; } = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A kubeconfig that cannot be read is a startup error, not something to retry.
        _client = KubernetesConnection.Create(_options.Kubeconfig, _options.Context, _loggers);
        var serviceImports = Handler(ResourceTypes.ServiceImports);
        var slices = Handler(ResourceTypes.EndpointSlices);
        var namespaces = Handler(ResourceTypes.Namespaces);
        var properties = Handler(ResourceTypes.ClusterProperties);
        Watches =
        [
            (Name(ResourceTypes.ServiceImports), () => serviceImports.Connection),
            (Name(ResourceTypes.EndpointSlices), () => slices.Connection),
            (Name(ResourceTypes.Namespaces), () => namespaces.Connection),
            (Name(ResourceTypes.ClusterProperties), () => properties.Connection),
        ];
        _running = Task.Run(() => RunAsync(_client, serviceImports, slices, namespaces, properties, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _client?.Dispose();
    }

    private async Task RunAsync(
        KubernetesClient client,
        WatchHandler<ServiceImport> serviceImports,
        WatchHandler<EndpointSlice> slices,
        WatchHandler<Namespace> namespaces,
        WatchHandler<ClusterProperty> properties,
        CancellationToken cancellationToken)
    {
        try
        {
            var server = client.Configuration.Server.ToString();
            var importType = (await DiscoverAsync(client, server, ResourceTypes.ServiceImports, ResourceTypes.MulticlusterVersions, required: true, cancellationToken).ConfigureAwait(false))!;

            // A transient error here must be retried like the ServiceImport lookup: thrown, it would stop the source for good.
            var propertyType = await DiscoverAsync(client, server, ResourceTypes.ClusterProperties, ClusterPropertyVersions, required: false, cancellationToken).ConfigureAwait(false);
            KubernetesSourceLog.Watching(_logger, server, client.Configuration.ContextName ?? "in-cluster", importType.Descriptor.Version, propertyType?.Descriptor.ApiVersion ?? "not served");

            var watchers = new List<Task>
            {
                Watch(client, importType, serviceImports, null, cancellationToken),
                Watch(client, ResourceTypes.EndpointSlices, slices, ResourceTypes.MulticlusterServiceNameLabel, cancellationToken),
                Watch(client, ResourceTypes.Namespaces, namespaces, null, cancellationToken),
            };
            if (propertyType is null)
            {
                // No about.k8s.io API: no cluster id to learn, nothing to wait for.
                await properties.OnSyncedAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                watchers.Add(Watch(client, propertyType, properties, null, cancellationToken));
            }

            await Task.WhenAll(watchers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            KubernetesSourceLog.Crashed(_logger, exception);
            throw;
        }
    }

    /// <summary>
    /// The served version of <paramref name="type"/>, retrying errors with backoff until the server answers.
    /// A <paramref name="required"/> API that is not installed is waited for too; an optional one is null.
    /// </summary>
    private async Task<ResourceType<T>?> DiscoverAsync<T>(KubernetesClient client, string server, ResourceType<T> type, IReadOnlyList<string> versions, bool required, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        while (true)
        {
            string reason;
            try
            {
                var found = await client.DiscoverAsync(type, versions, cancellationToken).ConfigureAwait(false);
                if (found is not null || !required)
                {
                    return found;
                }

                reason = "the CRD is not installed";
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                reason = exception.Message;
            }

            var delay = backoff.Next();
            KubernetesSourceLog.DiscoveryFailed(_logger, $"{type.Descriptor.Group} {type.Kind}", server, reason, delay);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task Watch<T>(KubernetesClient client, ResourceType<T> type, WatchHandler<T> handler, string? labelSelector, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        // The handler keeps the slim copy DNS needs; the watcher keeps only keys and versions for relists.
        var options = new ResourceWatcherOptions { LabelSelector = labelSelector, UseStreamingList = _options.StreamingList, KeepObjects = false };
        var watcher = new ResourceWatcher<T>(client, type, handler, options, _loggers.CreateLogger<ResourceWatcher<T>>());
        return watcher.RunAsync(cancellationToken);
    }

    private WatchHandler<T> Handler<T>(ResourceType<T> type)
        where T : KubernetesObject =>
        AppliedObjects.Handler(_writer, Name(type), type, _loggers.CreateLogger<WatchHandler<T>>(), _programmed, _metrics);

    private string Name<T>(ResourceType<T> type)
        where T : KubernetesObject => $"{_prefix}/{type.Descriptor.Plural}";
}
