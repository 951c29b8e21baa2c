using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Members;

/// <summary>
/// One member cluster as the controller sees it: a client, the served MCS API versions, and
/// watchers (with caches) of ServiceExports, Services, EndpointSlices, Namespaces and
/// ServiceImports. Standbys run these too, so a new leader starts with warm caches.
/// </summary>
internal sealed class MemberCluster : IDisposable
{
    private readonly IMemberListener _listener;
    private readonly ControllerSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _stateLock = new();
    private readonly List<Func<bool>> _synced = [];
    private readonly List<Func<bool>> _connected = [];
    private readonly TaskCompletionSource _firstSynced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _wasSynced;
    private bool _wasConnected;

    public MemberCluster(string name, KubernetesClient client, ControllerSettings settings, IMemberListener listener, ILogger logger, TimeProvider time)
    {
        Name = name;
        Client = client;
        _settings = settings;
        _listener = listener;
        _logger = logger;
        _time = time;
    }

    public string Name { get; }

    public KubernetesClient Client { get; }

    public ResourceType<ServiceExport> ExportType { get; private set; } = ResourceTypes.ServiceExports;

    public ResourceType<ServiceImport> ImportType { get; private set; } = ResourceTypes.ServiceImports;

    /// <summary>v1beta1 ServiceExports have a "Ready" condition; v1alpha1 ones do not.</summary>
    public bool HasReadyCondition => ExportType.Descriptor.Version == ResourceTypes.MulticlusterV1Beta1;

    public ResourceWatcher<ServiceExport>? Exports { get; private set; }

    public ResourceWatcher<Service>? Services { get; private set; }

    public ResourceWatcher<EndpointSlice>? Slices { get; private set; }

    public ResourceWatcher<Namespace>? Namespaces { get; private set; }

    public ResourceWatcher<ServiceImport>? Imports { get; private set; }

    /// <summary>A Service's own EndpointSlices, by namespace/service.</summary>
    public KeyIndex<EndpointSlice> SourceSlices { get; } = new(s => McsLabels.IsOurSlice(s.Metadata) ? null : ServiceKey(s, McsLabels.KubeServiceName));

    /// <summary>The slices we mirrored into this member, by namespace/imported service.</summary>
    public KeyIndex<EndpointSlice> MirroredSlices { get; } = new(s => McsLabels.IsOurSlice(s.Metadata) ? ServiceKey(s, McsLabels.ServiceName) : null);

    /// <summary>Completes when the member is synced for the first time.</summary>
    public Task FirstSynced => _firstSynced.Task;

    /// <summary>Every watcher has delivered its first list: the caches can be trusted for withdrawals.</summary>
    public bool IsSynced { get; private set; }

    /// <summary>Every watcher is connected; writes to a member that is not are skipped until it is.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>When the member was last seen to lose its API server; null while connected.</summary>
    public DateTimeOffset? DisconnectedSince { get; private set; }

    /// <summary>Unreachable longer than the stale-cluster timeout: its endpoints are withdrawn.</summary>
    public bool IsStale(DateTimeOffset now) =>
        _settings.StaleClusterTimeout is { } timeout && DisconnectedSince is { } since && now - since >= timeout;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var options = _settings.WatcherOptions ?? new ResourceWatcherOptions();
        Exports = Watch(ExportType, options, e => _listener.OnKeyChanged(e.Object.Key));
        Services = Watch(ResourceTypes.Services, options, OnService);
        Slices = Watch(ResourceTypes.EndpointSlices, options with { LabelSelector = McsLabels.KubeServiceName }, OnSlice);
        Namespaces = Watch(ResourceTypes.Namespaces, options, e => _listener.OnNamespaceChanged(e.Object.Metadata.Name ?? string.Empty));
        Imports = Watch(ImportType, options, e => _listener.OnKeyChanged(e.Object.Key));
        await Task.WhenAll(Exports.RunAsync(cancellationToken), Services.RunAsync(cancellationToken), Slices.RunAsync(cancellationToken), Namespaces.RunAsync(cancellationToken), Imports.RunAsync(cancellationToken)).ConfigureAwait(false);
    }

    public bool HasNamespace(string ns) => Namespaces?.TryGet(ns, out _) == true;

    public ServiceExport? GetExport(string key) => Exports is not null && Exports.TryGet(key, out var export) ? export : null;

    public ServiceImport? GetImport(string key) => Imports is not null && Imports.TryGet(key, out var import) ? import : null;

    public Service? GetService(string key) => Services is not null && Services.TryGet(key, out var service) ? service : null;

    public EndpointSlice? GetSlice(string key) => Slices is not null && Slices.TryGet(key, out var slice) ? slice : null;

    /// <summary>Whether a user's Service is exported without a ServiceExport of theirs: by annotation or by namespace prefix.</summary>
    public bool IsAutoExported(Service? service)
    {
        if (service is null || McsLabels.IsOurs(service.Metadata) || string.Equals(service.Spec?.Type, "ExternalName", StringComparison.Ordinal))
        {
            return false;
        }

        if (string.Equals(McsLabels.Annotation(service.Metadata, McsLabels.AutoCreateAnnotation), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var ns = service.Metadata.Namespace ?? string.Empty;
        return _settings.AutoExportNamespacePrefixes.Any(p => p.Length > 0 && ns.StartsWith(p, StringComparison.Ordinal));
    }

    /// <summary>Every namespace/name this member has anything to say about, for a full resync.</summary>
    public IEnumerable<string> Keys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        keys.UnionWith(Exports?.Snapshot().Select(e => e.Key) ?? []);
        keys.UnionWith(Imports?.Snapshot().Select(i => i.Key) ?? []);
        keys.UnionWith(MirroredSlices.Keys);
        foreach (var service in Services?.Snapshot() ?? [])
        {
            if (McsLabels.IsOurs(service.Metadata))
            {
                keys.Add(ServiceKey(service, McsLabels.ServiceName) ?? service.Key);
            }
            else if (IsAutoExported(service))
            {
                keys.Add(service.Key);
            }
        }

        return keys;
    }

    public void Dispose() => Client.Dispose();

    internal void OnWatcherChanged()
    {
        bool changed;
        lock (_stateLock)
        {
            var synced = _synced.Count == 5 && _synced.TrueForAll(s => s());
            var connected = _connected.Count == 5 && _connected.TrueForAll(c => c());
            IsSynced = synced;
            IsConnected = connected;
            if (!connected && _wasConnected)
            {
                DisconnectedSince ??= _time.GetUtcNow();
            }
            else if (connected)
            {
                DisconnectedSince = null;
            }

            changed = synced != _wasSynced || connected != _wasConnected;
            _wasSynced = synced;
            _wasConnected = connected;
        }

        if (IsSynced)
        {
            _firstSynced.TrySetResult();
        }

        if (changed)
        {
            ControllerLog.MemberState(_logger, Name, IsSynced, IsConnected);
            _listener.OnMemberStateChanged(this);
        }
    }

    /// <summary>A watcher refused by RBAC (403) or by a missing resource (404) says so once, with the fix; any other state clears that.</summary>
    internal void OnWatcherState<T>(ResourceType<T> type, WatchConnectionState state)
        where T : KubernetesObject
    {
        var key = $"member/{Name}/watch/{type.Descriptor.Plural}";
        var reason = state.Reason ?? string.Empty;
        if (!state.Connected && reason.Contains(": 403 ", StringComparison.Ordinal))
        {
            var group = type.Descriptor.Group.Length == 0 ? "core" : type.Descriptor.Group;
            _settings.Problems.Report(key, $"member {Name}: RBAC forbids watching {type.Descriptor.Plural} ({group}): {reason}; grant get, list and watch (deploy/controller/clusterrole.yaml)", _logger);
        }
        else if (!state.Connected && reason.Contains(": 404 ", StringComparison.Ordinal))
        {
            _settings.Problems.Report(key, $"member {Name}: {type.Descriptor.Plural} ({type.Descriptor.ApiVersion}) is not served: {reason}", _logger);
        }
        else
        {
            _settings.Problems.Clear(key, _logger);
        }
    }

    private static string? ServiceKey(KubernetesObject obj, string label) =>
        McsLabels.Label(obj.Metadata, label) is { Length: > 0 } name ? $"{obj.Metadata.Namespace}/{name}" : null;

    /// <summary>
    /// Finds the served MCS versions; until both ServiceExport and ServiceImport are served (the CRDs
    /// may be applied later) or while discovery fails, the member has a problem saying so and is retried.
    /// </summary>
    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        var key = $"member/{Name}/discovery";
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        while (true)
        {
            string problem;
            try
            {
                var exports = await Client.DiscoverAsync(ResourceTypes.ServiceExports, ResourceTypes.MulticlusterVersions, cancellationToken).ConfigureAwait(false);
                var imports = await Client.DiscoverAsync(ResourceTypes.ServiceImports, ResourceTypes.MulticlusterVersions, cancellationToken).ConfigureAwait(false);
                if (exports is not null && imports is not null)
                {
                    (ExportType, ImportType) = (exports, imports);
                    _settings.Problems.Clear(key, _logger);
                    ControllerLog.MemberDiscovered(_logger, Name, ExportType.Descriptor.Version, ImportType.Descriptor.Version);
                    return;
                }

                var missing = exports is null && imports is null ? "ServiceExport and ServiceImport are" : exports is null ? "ServiceExport is" : "ServiceImport is";
                problem = $"member {Name}: {missing} not served ({ResourceTypes.MulticlusterGroup} {string.Join(" or ", ResourceTypes.MulticlusterVersions)}); apply the MCS CRDs there: kubectl --context <{Name}'s context> apply -k deploy/crds";
            }
            catch (Exception e) when (e is HttpRequestException or KubernetesApiException or IOException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                problem = $"member {Name}: API discovery failed: {(e is OperationCanceledException ? "request timed out" : e.Message)}";
                DisconnectedSince ??= _time.GetUtcNow();
            }

            _settings.Problems.Report(key, problem, _logger);
            var delay = backoff.Next();
            ControllerLog.MemberDiscoveryFailed(_logger, Name, delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private ResourceWatcher<T> Watch<T>(ResourceType<T> type, ResourceWatcherOptions options, Action<ResourceEvent<T>> onEvent)
        where T : KubernetesObject
    {
        var handler = new MemberWatchHandler<T>(this, type, onEvent);
        lock (_stateLock)
        {
            _synced.Add(() => handler.Synced);
            _connected.Add(() => handler.Connected);
        }

        return new ResourceWatcher<T>(Client, type, handler, options, _logger, _time);
    }

    private void OnService(ResourceEvent<Service> change)
    {
        var service = change.Object;
        if (McsLabels.IsOurs(service.Metadata))
        {
            if (ServiceKey(service, McsLabels.ServiceName) is { } imported)
            {
                _listener.OnKeyChanged(imported);
            }

            return;
        }

        // Most Services are never exported: wake the key only when an export or auto-export concerns it.
        if (GetExport(service.Key) is not null || IsAutoExported(service) || IsAutoExported(change.OldObject))
        {
            _listener.OnKeyChanged(service.Key);
        }
    }

    private void OnSlice(ResourceEvent<EndpointSlice> change)
    {
        SourceSlices.Apply(change);
        MirroredSlices.Apply(change);
        var slice = change.Object;
        if (McsLabels.IsOurSlice(slice.Metadata))
        {
            if (ServiceKey(slice, McsLabels.ServiceName) is { } imported)
            {
                _listener.OnKeyChanged(imported);
            }
        }
        else if (ServiceKey(slice, McsLabels.KubeServiceName) is { } key && GetExport(key) is not null)
        {
            _listener.OnKeyChanged(key);
        }
    }
}
