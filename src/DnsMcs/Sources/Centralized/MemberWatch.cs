using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.Sources.Kubernetes;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// One member cluster's four watches (ServiceExports, Services, their EndpointSlices, Namespaces) feeding
/// the shared <see cref="ClusterSetView"/>. Each watcher keeps its cache when the member is unreachable,
/// so the member's last known objects keep serving; the member's status (connected or why not, synced)
/// is what /ready details show. A member never waits for another.
/// </summary>
internal sealed class MemberWatch : IDisposable
{
    private readonly MemberCluster _member;
    private readonly ClusterSetView _view;
    private readonly CentralizedSourceOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly MemberHandler<ServiceExport> _exports;
    private readonly MemberHandler<Service> _services;
    private readonly MemberHandler<EndpointSlice> _slices;
    private readonly MemberHandler<Namespace> _namespaces;
    private readonly IMemberResource[] _resources;
    private readonly Lock _statusLock = new();
    private bool _reportedDown;
    private bool _syncTimedOut;
    private int _servicesSyncSeen;
    private KubernetesClient? _client;

    public MemberWatch(MemberCluster member, ClusterSetView view, IClusterSetWriter writer, CentralizedSourceOptions options, ILoggerFactory loggers, string sourcePrefix, Action<TimeSpan>? programmed)
    {
        _member = member;
        _view = view;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<MemberWatch>();
        view.AddMember(member.Name);
        var name = member.Name;
        var exportCount = 0;
        var serviceCount = 0;
        var sliceCount = 0;
        var namespaceCount = 0;
        _exports = Handler(ResourceTypes.ServiceExports, change =>
        {
            if (change.Type == ResourceEventType.Deleted)
            {
                view.RemoveExport(name, change.Object);
                return --exportCount;
            }

            view.PutExport(name, change.Object);
            return change.Type == ResourceEventType.Added ? ++exportCount : exportCount;
        });
        _services = Handler(ResourceTypes.Services, change =>
        {
            if (change.Type == ResourceEventType.Deleted)
            {
                view.RemoveService(name, change.Object);
                return --serviceCount;
            }

            view.PutService(name, change.Object);
            return change.Type == ResourceEventType.Added ? ++serviceCount : serviceCount;
        });
        _slices = Handler(ResourceTypes.EndpointSlices, change =>
        {
            if (change.Type == ResourceEventType.Deleted)
            {
                view.RemoveSlice(name, change.Object);
                return --sliceCount;
            }

            view.PutSlice(name, change.Object);
            return change.Type == ResourceEventType.Added ? ++sliceCount : sliceCount;
        });
        _namespaces = Handler(ResourceTypes.Namespaces, change =>
        {
            var ns = change.Object;
            if (change.Type == ResourceEventType.Deleted)
            {
                if (ns.Metadata.Name is { } gone)
                {
                    view.RemoveNamespace(name, gone);
                }

                return --namespaceCount;
            }

            var result = ObjectTranslator.TranslateNamespace(ns);
            if (result.IsTranslated)
            {
                view.PutNamespace(name, ((NamespaceObject)result.Object).Name);
            }
            else
            {
                CentralizedSourceLog.InvalidObject(_logger, name, "Namespace", ns.Key, ns.Metadata.ResourceVersion, result.Message);
            }

            return change.Type == ResourceEventType.Added ? ++namespaceCount : namespaceCount;
        });
        _resources = [_exports, _services, _slices, _namespaces];

        MemberHandler<T> Handler<T>(ResourceType<T> type, Func<ResourceEvent<T>, int> apply)
            where T : KubernetesObject =>
            new(name, sourcePrefix, type, writer, apply, OnResourceChanged, loggers.CreateLogger<MemberHandler<T>>(), programmed);
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

    private Task Watch<T>(KubernetesClient client, ResourceType<T> type, MemberHandler<T> handler, string? labelSelector, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        var options = new ResourceWatcherOptions
        {
            LabelSelector = labelSelector,
            UseStreamingList = _options.StreamingList,
            MaxBackoff = _options.MaxBackoff,
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
