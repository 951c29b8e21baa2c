using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Controller.Members;

/// <summary>Adapts one watcher of a member to the member: events go to a callback, sync and connection changes to the member.</summary>
internal sealed class MemberWatchHandler<T>(MemberCluster member, ResourceType<T> type, Action<ResourceEvent<T>> onEvent) : IResourceEventHandler<T>
    where T : KubernetesObject
{
    public bool Synced { get; private set; }

    public bool Connected { get; private set; }

    public ValueTask OnEventAsync(ResourceEvent<T> change, CancellationToken cancellationToken)
    {
        onEvent(change);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnSyncedAsync(CancellationToken cancellationToken)
    {
        Synced = true;
        member.OnWatcherChanged();
        return ValueTask.CompletedTask;
    }

    public ValueTask OnConnectionStateChangedAsync(WatchConnectionState state, CancellationToken cancellationToken)
    {
        Connected = state.Connected;
        member.OnWatcherState(type, state);
        member.OnWatcherChanged();
        return ValueTask.CompletedTask;
    }
}
