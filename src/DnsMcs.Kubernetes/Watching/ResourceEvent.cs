using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Watching;

public enum ResourceEventType
{
    Added,
    Updated,
    Deleted,
}

/// <summary>
/// A change to the watcher's view of one object. <see cref="ArrivedAt"/> is the
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp at which the API server's bytes for it
/// arrived (the watch line, or the list response after a relist), for latency measurements.
/// </summary>
public readonly record struct ResourceEvent<T>(ResourceEventType Type, T Object, T? OldObject, long ArrivedAt)
    where T : KubernetesObject;
