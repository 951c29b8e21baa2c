using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Metrics;
using DnsMcs.Zone;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Kubernetes;

/// <summary>
/// Distributed mode's sink for one watched resource: each object through <see cref="ObjectTranslator"/> into the
/// index; added and updated objects are put, unless they carry the same content as before (an equal write would
/// still rebuild the service), deleted ones and ones no longer ours removed. What it keeps of each object is the
/// translated copy the index holds too (the same instance, not a second one), by the namespace and name strings
/// that copy already holds: so the watcher feeding it need keep no objects
/// (<see cref="DnsMcs.Kubernetes.Watching.ResourceWatcherOptions.KeepObjects"/> off).
/// </summary>
internal sealed class AppliedObjects(IClusterSetWriter writer)
{
    private readonly Dictionary<(string? Namespace, string Name), ClusterSetObject> _applied = [];

    /// <summary>A handler that feeds one resource of one cluster into the index through a new <see cref="AppliedObjects"/>.</summary>
    public static WatchHandler<T> Handler<T>(IClusterSetWriter writer, string source, ResourceType<T> type, ILogger logger, Action<TimeSpan>? programmed = null, SourceMetrics? metrics = null)
        where T : KubernetesObject
    {
        var applied = new AppliedObjects(writer);
        return new WatchHandler<T>(source, type, writer, new WatchSink<T>(applied.Put, applied.Remove), logger, programmed, metrics);
    }

    public TranslationFailure? Put(KubernetesObject obj)
    {
        var key = Key(obj);
        var result = ObjectTranslator.Translate(obj);
        if (result.IsTranslated)
        {
            var translated = result.Value;
            if (!_applied.TryGetValue(key, out var previous) || !previous.ContentEquals(translated))
            {
                translated.Apply(writer);

                // Keyed by the translated object's own strings, so the key costs nothing beyond the entry.
                _applied.Remove(key);
                _applied[(translated.Key.Namespace, translated.Key.Name)] = translated;
            }

            return null;
        }

        if (result.Outcome == TranslationOutcome.Ignored)
        {
            // Not ours (e.g. a ClusterProperty other than id.k8s.io): if it was before, it is no longer.
            Remove(obj);
        }

        return result.Failure;
    }

    public void Remove(KubernetesObject obj)
    {
        if (_applied.Remove(Key(obj), out var gone))
        {
            gone.Remove(writer);
        }
    }

    private static (string? Namespace, string Name) Key(KubernetesObject obj) =>
        (string.IsNullOrEmpty(obj.Metadata.Namespace) ? null : obj.Metadata.Namespace, obj.Metadata.Name ?? string.Empty);
}
