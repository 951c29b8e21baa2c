using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Controller.Probing;

/// <summary>The prober reads the watchers' caches on its own schedule: events need no handling.</summary>
internal sealed class CacheOnlyHandler<T> : IResourceEventHandler<T>
    where T : KubernetesObject
{
    public ValueTask OnEventAsync(ResourceEvent<T> change, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnSyncedAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnConnectionStateChangedAsync(WatchConnectionState state, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
