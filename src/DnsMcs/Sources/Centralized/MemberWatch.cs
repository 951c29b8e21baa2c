using DnsMcs.Controller;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.Sources.Kubernetes;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// One member cluster's four watches (ServiceExports, Services, their EndpointSlices, Namespaces) feeding
/// the shared <see cref="ClusterSetView"/> through one <see cref="WatchHandler{T}"/> each. The watchers keep
/// only keys and versions (for relists); the view keeps what DNS needs of each object, and keeps it when the
/// member is unreachable, so the member's last known objects keep serving. The member's status (connected or
/// why not, synced) is what /ready details show. A member never waits for another.
/// </summary>
internal sealed class MemberWatch : IDisposable
{
    private readonly MemberSettings _member;
    private readonly ClusterSetView _view;
    private readonly CentralizedSourceOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly WatchHandler<ServiceExport> _exports;
    private readonly WatchHandler<Service> _services;
    private readonly WatchHandler<EndpointSlice> _slices;
    private readonly WatchHandler<Namespace> _namespaces;
    private readonly IWatchedResource[] _resources;
    private readonly Lock _statusLock = new();
    private bool _reportedDown;
    private bool _syncTimedOut;
    private int _servicesSyncSeen;
    private KubernetesClient? _client;

    public MemberWatch(MemberSettings member, ClusterSetView view, IClusterSetWriter writer, CentralizedSourceOptions options, ILoggerFactory loggers, string sourcePrefix, Action<TimeSpan>? programmed)
    {
        _member = member;
        _view = view;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<MemberWatch>();
        view.AddMember(member.Name);
        var name = member.Name;
        _exports = Handler(ResourceTypes.ServiceExports, export => view.PutExport(name, export), export => view.RemoveExport(name, export));
        _services = Handler(ResourceTypes.Services, service => view.PutService(name, service), service => view.RemoveService(name, service));
        _slices = Handler(ResourceTypes.EndpointSlices, slice => view.PutSlice(name, slice), slice => view.RemoveSlice(name, slice));
        _namespaces = Handler(ResourceTypes.Namespaces, ns => PutNamespace(view, name, ns), ns => RemoveNamespace(view, name, ns));
        _resources = [_exports, _services, _slices, _namespaces];

        WatchHandler<T> Handler<T>(ResourceType<T> type, Func<T, TranslationFailure?> put, Action<T> remove)
            where T : KubernetesObject =>
            new($"{sourcePrefix}/{name}/{type.Descriptor.Plural}", type, writer, new WatchSink<T>(put, remove), loggers.CreateLogger<WatchHandler<T>>(), programmed, changed: OnResourceChanged);
    }

    public string Name => _member.Name;

    /// <summary>True once every resource of this member has completed a real first list.</summary>
    public bool IsSynced => _resources.All(r => r.IsSynced);

    public MemberStatus Status
    {
        get
        {
            var down = _resources.Where(r => !r.Connection.Connected).ToList();
            var synced = IsSynced;
            bool timedOut;
            lock (_statusLock)
            {
                timedOut = _syncTimedOut && !synced;
            }

            return down.Count == 0
                ? new MemberStatus(Name, true, synced, timedOut, null, _resources.Max(r => r.Connection.Since))
                : new MemberStatus(Name, false, synced, timedOut, $"{down[0].Resource}: {down[0].Connection.Reason}", down.Min(r => r.Connection.Since));
        }
    }

    /// <summary>Reads the member's kubeconfig; an unreadable one is a startup error, not something to retry.</summary>
    public void Connect() => _client ??= KubernetesConnection.Create(_member.Kubeconfig, _member.Context, _loggers);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException("Connect first");
        try
        {
            var server = client.Configuration.Server.ToString();
            CentralizedSourceLog.Watching(_logger, Name, server, client.Configuration.ContextName ?? "in-cluster");

            // Services, slices and namespaces need no discovery: start them while the export API is looked up.
            var watchers = new List<Task>
            {
                Watch(client, ResourceTypes.Services, _services, null, cancellationToken),
                Watch(client, ResourceTypes.EndpointSlices, _slices, ResourceTypes.ServiceNameLabel, cancellationToken),
                Watch(client, ResourceTypes.Namespaces, _namespaces, null, cancellationToken),
                WatchExportsAsync(client, cancellationToken),
            };
            await Task.WhenAll(watchers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            CentralizedSourceLog.Crashed(_logger, Name, exception);
            throw;
        }
    }

    /// <summary>The member sync timeout passed: the index stops waiting for whatever has not listed yet.</summary>
    public void GiveUpWaiting(TimeSpan timeout)
    {
        var pending = _resources.Where(r => r.GiveUp()).Select(r => r.Resource).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        lock (_statusLock)
        {
            _syncTimedOut = true;
        }

        CentralizedSourceLog.SyncTimedOut(_logger, Name, timeout, string.Join(", ", pending));
    }

    public void Dispose() => _client?.Dispose();

    private static TranslationFailure? PutNamespace(ClusterSetView view, string member, Namespace ns)
    {
        var name = ZoneModelParts.Label("metadata.name", ns.Metadata.Name, "namespace name");
        if (name.IsTranslated)
        {
            view.PutNamespace(member, name.Value);
        }

        return name.Failure;
    }

    private static void RemoveNamespace(ClusterSetView view, string member, Namespace ns)
    {
        if (ns.Metadata.Name is { } name)
        {
            view.RemoveNamespace(member, name);
        }
    }

    private async Task WatchExportsAsync(KubernetesClient client, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(Math.Max(1, _options.MaxBackoff.TotalSeconds)));
        ResourceType<ServiceExport>? type = null;
        while (type is null)
        {
            string reason;
            try
            {
                type = await client.DiscoverAsync(ResourceTypes.ServiceExports, ResourceTypes.MulticlusterVersions, cancellationToken).ConfigureAwait(false);
                reason = "the ServiceExport CRD is not installed";

                // The member answered, and exports nothing: no reason to hold the sync gate for it. The lookup
                // goes on, since the CRD may be installed later.
                if (type is null && _exports.GiveUp())
                {
                    CentralizedSourceLog.NoExportApi(_logger, Name);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                reason = exception.Message;
            }

            if (type is null)
            {
                var delay = backoff.Next();
                CentralizedSourceLog.DiscoveryFailed(_logger, Name, reason, delay);
                _exports.SetConnection(new WatchConnectionState(false, reason, DateTimeOffset.UtcNow));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        CentralizedSourceLog.ExportVersion(_logger, Name, type.Descriptor.ApiVersion);
        await Watch(client, type, _exports, null, cancellationToken).ConfigureAwait(false);
    }

    private Task Watch<T>(KubernetesClient client, ResourceType<T> type, WatchHandler<T> handler, string? labelSelector, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        var options = new ResourceWatcherOptions
        {
            LabelSelector = labelSelector,
            UseStreamingList = _options.StreamingList,
            MaxBackoff = _options.MaxBackoff,

            // The view keeps the values DNS needs (MemberObjects); the watcher only keys and versions for relists.
            KeepObjects = false,
        };
        var watcher = new ResourceWatcher<T>(client, type, handler, options, _loggers.CreateLogger<ResourceWatcher<T>>());
        return watcher.RunAsync(cancellationToken);
    }

    private void OnResourceChanged()
    {
        if (_services.IsSynced && Interlocked.Exchange(ref _servicesSyncSeen, 1) == 0)
        {
            _view.MarkServicesSynced(Name);
        }

        var down = _resources.FirstOrDefault(r => !r.Connection.Connected && r.Connection != WatchConnectionState.Initial);
        var allUp = _resources.All(r => r.Connection.Connected);
        lock (_statusLock)
        {
            if (down is not null && !_reportedDown)
            {
                _reportedDown = true;
                CentralizedSourceLog.MemberDown(_logger, Name, $"{down.Resource}: {down.Connection.Reason}");
            }
            else if (allUp && _reportedDown)
            {
                _reportedDown = false;
                CentralizedSourceLog.MemberUp(_logger, Name);
            }
        }
    }
}
