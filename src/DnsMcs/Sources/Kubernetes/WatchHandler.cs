using System.Diagnostics;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.Metrics;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Kubernetes;

/// <summary>
/// The one handler of watch events for both Kubernetes modes; what it does with an object is its
/// <see cref="WatchSink{T}"/> (distributed: translate and write to the index, <see cref="AppliedObjects"/>;
/// centralized: the member's part of the <see cref="Centralized.ClusterSetView"/>). For every event it:
/// 1. fills in apiVersion and kind, which list items come without and the translator checks;
/// 2. counts the event (metrics), then puts or removes the object through the sink; an invalid object is
///    logged with its key and skipped, and a failure of the sink itself never stops the watch;
/// 3. reports the programming latency, from the API server's bytes arriving to the answer being servable.
/// It registers "&lt;source&gt;" with the index's sync gate and marks it synced after the first list. A source
/// that aggregates several watches (a centralized member) passes <c>changed</c> and reports connections
/// itself; otherwise each lost connection is logged here.
/// </summary>
internal sealed class WatchHandler<T> : IResourceEventHandler<T>, IWatchedResource
    where T : KubernetesObject
{
    private readonly string _source;
    private readonly ResourceDescriptor _descriptor;
    private readonly string _kind;
    private readonly IClusterSetWriter _writer;
    private readonly WatchSink<T> _sink;
    private readonly ILogger _logger;
    private readonly Action<TimeSpan>? _programmed;
    private readonly SourceMetrics? _metrics;
    private readonly Action? _changed;
    private readonly SourceResource _resource;
    private readonly Lock _syncLock = new();
    private int _count;
    private bool _synced;
    private bool _gaveUp;

    /// <param name="changed">Called after a connection or sync change, for a source that aggregates watches.</param>
    public WatchHandler(string source, ResourceType<T> type, IClusterSetWriter writer, WatchSink<T> sink, ILogger logger, Action<TimeSpan>? programmed = null, SourceMetrics? metrics = null, Action? changed = null)
    {
        _source = source;
        _descriptor = type.Descriptor;
        _kind = type.Kind;
        Resource = type.Descriptor.Plural;
        _writer = writer;
        _sink = sink;
        _logger = logger;
        _programmed = programmed;
        _metrics = metrics;
        _changed = changed;
        _resource = type.Kind switch
        {
            "ServiceImport" => SourceResource.ServiceImport,
            "EndpointSlice" => SourceResource.EndpointSlice,
            "Namespace" => SourceResource.Namespace,
            "ClusterProperty" => SourceResource.ClusterProperty,
            "ServiceExport" => SourceResource.ServiceExport,
            _ => SourceResource.Service,
        };
        writer.RegisterSource(source);
    }

    public string Resource { get; }

    /// <summary>Whether the watch is connected now; reported through /ready details.</summary>
    public WatchConnectionState Connection { get; private set; } = WatchConnectionState.Initial;

    public bool IsSynced
    {
        get
        {
            lock (_syncLock)
            {
                return _synced;
            }
        }
    }

    public ValueTask OnEventAsync(ResourceEvent<T> change, CancellationToken cancellationToken)
    {
        var obj = change.Object;
        obj.ApiVersion ??= _descriptor.ApiVersion;
        obj.Kind ??= _kind;
        _metrics?.WatchEvent(_resource, change.Type switch
        {
            ResourceEventType.Added => WatchEventKind.Added,
            ResourceEventType.Updated => WatchEventKind.Modified,
            _ => WatchEventKind.Deleted,
        });
        _count += change.Type switch
        {
            ResourceEventType.Added => 1,
            ResourceEventType.Deleted => -1,
            _ => 0,
        };
        try
        {
            if (change.Type == ResourceEventType.Deleted)
            {
                _sink.Remove(obj);
            }
            else if (_sink.Put(obj) is { Outcome: TranslationOutcome.Invalid } invalid)
            {
                _metrics?.Error(_resource);
                KubernetesSourceLog.InvalidObject(_logger, _source, _kind, obj.Key, obj.Metadata.ResourceVersion, invalid.Message);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug met by one object must not stop the watch (and with it every later change).
            KubernetesSourceLog.ApplyFailed(_logger, exception, _source, _kind, obj.Key);
            return ValueTask.CompletedTask;
        }

        _programmed?.Invoke(Stopwatch.GetElapsedTime(change.ArrivedAt));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnSyncedAsync(CancellationToken cancellationToken)
    {
        lock (_syncLock)
        {
            _synced = true;
        }

        _writer.MarkSynced(_source);
        _metrics?.SetSynced(true);
        KubernetesSourceLog.Synced(_logger, _source, _count);
        _changed?.Invoke();
        return ValueTask.CompletedTask;
    }

    public ValueTask OnConnectionStateChangedAsync(WatchConnectionState state, CancellationToken cancellationToken)
    {
        SetConnection(state);
        return ValueTask.CompletedTask;
    }

    /// <summary>Also used before the watch exists, e.g. while the resource's API cannot be discovered.</summary>
    public void SetConnection(WatchConnectionState state)
    {
        var wasConnected = Connection.Connected;
        Connection = state;
        if (!state.Connected && wasConnected)
        {
            _metrics?.Reconnect(_resource);
        }

        if (_changed is not null)
        {
            _changed();
        }
        else if (!state.Connected)
        {
            KubernetesSourceLog.Disconnected(_logger, _source, state.Reason ?? "unknown");
        }
    }

    public bool GiveUp()
    {
        lock (_syncLock)
        {
            if (_synced || _gaveUp)
            {
                return false;
            }

            _gaveUp = true;
        }

        // The index stops waiting; IsSynced stays false until the list really completes.
        _writer.MarkSynced(_source);
        return true;
    }
}
