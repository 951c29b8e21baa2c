using System.Diagnostics;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// One member's watch of one resource: applies each change to the <see cref="ClusterSetView"/>, registers
/// itself with the index's sync gate as "&lt;prefix&gt;/&lt;member&gt;/&lt;resource&gt;", and reports the
/// programming latency of every applied event (from the API server's bytes to a servable answer).
/// </summary>
internal sealed class MemberHandler<T> : IResourceEventHandler<T>, IMemberResource
    where T : KubernetesObject
{
    private readonly string _member;
    private readonly string _source;
    private readonly ResourceDescriptor _descriptor;
    private readonly string _kind;
    private readonly IClusterSetWriter _writer;
    private readonly Func<ResourceEvent<T>, int> _apply;
    private readonly Action _changed;
    private readonly ILogger _logger;
    private readonly Action<TimeSpan>? _programmed;
    private readonly Lock _syncLock = new();
    private bool _synced;
    private bool _gaveUp;

    /// <param name="apply">Applies one change; returns how many objects the member now holds of this resource (for the sync log).</param>
    /// <param name="changed">Called after a connection or sync change, so the member recomputes its status.</param>
    public MemberHandler(string member, string sourcePrefix, ResourceType<T> type, IClusterSetWriter writer, Func<ResourceEvent<T>, int> apply, Action changed, ILogger logger, Action<TimeSpan>? programmed)
    {
        _member = member;
        _descriptor = type.Descriptor;
        _kind = type.Kind;
        Resource = type.Descriptor.Plural;
        _source = $"{sourcePrefix}/{member}/{Resource}";
        _writer = writer;
        _apply = apply;
        _changed = changed;
        _logger = logger;
        _programmed = programmed;
        writer.RegisterSource(_source);
    }

    public string Resource { get; }

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

    /// <summary>How many objects the last applied event left; reported when synced.</summary>
    public int Count { get; private set; }

    public ValueTask OnEventAsync(ResourceEvent<T> change, CancellationToken cancellationToken)
    {
        // List items come without apiVersion and kind; the translator checks them, so fill them in.
        change.Object.ApiVersion ??= _descriptor.ApiVersion;
        change.Object.Kind ??= _kind;
        try
        {
            Count = _apply(change);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug met by one object must not stop this member's watch (and with it every later change).
            CentralizedSourceLog.ApplyFailed(_logger, exception, _member, _kind, change.Object.Key);
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
        CentralizedSourceLog.Synced(_logger, _member, Resource, Count);
        _changed();
        return ValueTask.CompletedTask;
    }

    public ValueTask OnConnectionStateChangedAsync(WatchConnectionState state, CancellationToken cancellationToken)
    {
        SetConnection(state);
        return ValueTask.CompletedTask;
    }

    /// <summary>Also used before the watch exists, e.g. while the ServiceExport API cannot be discovered.</summary>
    public void SetConnection(WatchConnectionState state)
    {
        Connection = state;
        _changed();
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
