using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>One line of a watch stream, parsed once.</summary>
public sealed class WatchEvent<T>
    where T : KubernetesObject
{
    public required WatchEventType Type { get; init; }

    /// <summary>The object of ADDED/MODIFIED/DELETED; null for BOOKMARK and ERROR.</summary>
    public T? Object { get; init; }

    /// <summary>The Status of an ERROR event.</summary>
    public Status? Error { get; init; }

    /// <summary>metadata.resourceVersion of the object or bookmark.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>A BOOKMARK annotated k8s.io/initial-events-end: the initial state of a streaming list is complete.</summary>
    public bool IsInitialEventsEnd { get; init; }

    /// <summary>Stopwatch timestamp at which the last bytes of this event were read from the socket.</summary>
    public long ArrivedAt { get; init; }
}
