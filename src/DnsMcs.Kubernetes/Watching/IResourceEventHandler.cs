using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Watching;

/// <summary>
/// Receives a watcher's changes, one call at a time and in order (the watcher awaits each, so
/// a slow handler slows the watch rather than queueing without bound).
/// </summary>
public interface IResourceEventHandler<T>
    where T : KubernetesObject
{
    ValueTask OnEventAsync(ResourceEvent<T> change, CancellationToken cancellationToken);

    /// <summary>The first complete list has been delivered; called once.</summary>
    ValueTask OnSyncedAsync(CancellationToken cancellationToken);

    /// <summary>Called when the connection state changes (connected, or disconnected with a reason).</summary>
    ValueTask OnConnectionStateChangedAsync(WatchConnectionState state, CancellationToken cancellationToken);
}
