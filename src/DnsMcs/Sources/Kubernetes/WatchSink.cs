using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Sources.Kubernetes;

/// <summary>
/// What a source does with one watched resource's objects (see <see cref="WatchHandler{T}"/>): <see cref="Put"/>
/// takes an added or updated object and returns null, or the failure to report when it is invalid (its last
/// good version keeps serving); <see cref="Remove"/> takes a deleted one, which after a relist of a keys-only
/// watch is a tombstone holding only namespace and name. The object is the watch's, lent for the call: a sink
/// keeps only the values it needs.
/// </summary>
internal sealed record WatchSink<T>(Func<T, TranslationFailure?> Put, Action<T> Remove)
    where T : KubernetesObject;
