using System.Diagnostics;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using DnsMcs.Metrics;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Kubernetes;

/// <summary>
/// Feeds one watched resource into the index through <see cref="ObjectTranslator"/>: added and updated
/// objects are put, deleted ones removed. An object that fails validation is logged with its key and
/// skipped; the last good version of it keeps serving. Each applied event reports how long it took from
/// the API server's bytes arriving to the answer being servable (the programming latency).
/// What it keeps of each object is the translated copy the index holds too (the same instance, not a second
/// one), by namespace and name strings that copy already holds: so the watcher feeding it need keep no objects
/// (<see cref="ResourceWatcherOptions.KeepObjects"/> off).
/// </summary>
internal sealed class TranslatingHandler<T> : IResourceEventHandler<T>
    where T : KubernetesObject
{
    private readonly IClusterSetWriter _writer;
    private readonly string _source;
    private readonly ResourceDescriptor _descriptor;
    private readonly string _kind;
    private readonly ILogger _logger;
    private readonly Action<TimeSpan>? _programmed;
    private readonly SourceMetrics? _metrics;
    private readonly SourceResource _resource;
    private readonly Dictionary<(string? Namespace, string Name), ClusterSetObject> _applied = [];

    public TranslatingHandler(IClusterSetWriter writer, string source, ResourceType<T> type, ILogger logger, Action<TimeSpan>? programmed = null, SourceMetrics? metrics = null)
    {
        _metrics = metrics;
        _resource = type.Kind switch
        {
            "ServiceImport" => SourceResource.ServiceImport,
            "EndpointSlice" => SourceResource.EndpointSlice,
            "Namespace" => SourceResource.Namespace,
            "ClusterProperty" => SourceResource.ClusterProperty,
            "ServiceExport" => SourceResource.ServiceExport,
            _ => SourceResource.Service,
        };
        _writer = writer;
        _source = source;
        _descriptor = type.Descriptor;
        _kind = type.Kind;
        _logger = logger;
        _programmed = programmed;
        writer.RegisterSource(source);
    }

    /// <summary>Whether the watch is connected now; reported through /ready details.</summary>
    public WatchConnectionState Connection { get; private set; } = WatchConnectionState.Initial;

    public ValueTask OnEventAsync(ResourceEvent<T> change, CancellationToken cancellationToken)
    {
        var obj = change.Object;

        // List items come without apiVersion and kind; the translator checks them, so fill them in.
        obj.ApiVersion ??= _descriptor.ApiVersion;
        obj.Kind ??= _kind;
        var key = (string.IsNullOrEmpty(obj.Metadata.Namespace) ? null : obj.Metadata.Namespace, obj.Metadata.Name ?? string.Empty);
        _metrics?.WatchEvent(_resource, change.Type switch
        {
            ResourceEventType.Added => WatchEventKind.Added,
            ResourceEventType.Updated => WatchEventKind.Modified,
            _ => WatchEventKind.Deleted,
        });
        if (change.Type == ResourceEventType.Deleted)
        {
            if (_applied.Remove(key, out var gone))
            {
                gone.Remove(_writer);
            }
        }
        else
        {
            var result = ObjectTranslator.Translate(obj);
            switch (result.Outcome)
            {
                case TranslationOutcome.Translated:
                    var translated = result.Object!;
                    if (!_applied.TryGetValue(key, out var previous) || !previous.ContentEquals(translated))
                    {
                        translated.Apply(_writer);

                        // Keyed by the translated object's own strings, so the key costs nothing beyond the entry.
                        _applied.Remove(key);
                        _applied[(translated.Key.Namespace, translated.Key.Name)] = translated;
                    }

                    break;
                case TranslationOutcome.Invalid:
                    _metrics?.Error(_resource);
                    KubernetesSourceLog.InvalidObject(_logger, _kind, obj.Key, obj.Metadata.ResourceVersion, result.Message);
                    break;
                default:
                    // Not ours (e.g. a ClusterProperty other than id.k8s.io): if it was before, it is no longer.
                    if (_applied.Remove(key, out var dropped))
                    {
                        dropped.Remove(_writer);
                    }

                    break;
            }
        }

        _programmed?.Invoke(Stopwatch.GetElapsedTime(change.ArrivedAt));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnSyncedAsync(CancellationToken cancellationToken)
    {
        _writer.MarkSynced(_source);
        _metrics?.SetSynced(true);
        KubernetesSourceLog.Synced(_logger, _source, _applied.Count);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnConnectionStateChangedAsync(WatchConnectionState state, CancellationToken cancellationToken)
    {
        var wasConnected = Connection.Connected;
        Connection = state;
        if (!state.Connected)
        {
            if (wasConnected)
            {
                _metrics?.Reconnect(_resource);
            }

            KubernetesSourceLog.Disconnected(_logger, _source, state.Reason ?? "unknown");
        }

        return ValueTask.CompletedTask;
    }
}
