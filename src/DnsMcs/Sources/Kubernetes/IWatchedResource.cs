using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Sources.Kubernetes;

/// <summary>The non-generic face of a <see cref="WatchHandler{T}"/>, for status across several watches.</summary>
internal interface IWatchedResource
{
    /// <summary>The resource's plural ("endpointslices").</summary>
    string Resource { get; }

    WatchConnectionState Connection { get; }

    bool IsSynced { get; }

    /// <summary>
    /// Lets the index's sync gate stop waiting for this resource (a member sync timeout, or an API the cluster
    /// does not serve); true only the first time, and only if it had not listed.
    /// </summary>
    bool GiveUp();
}
