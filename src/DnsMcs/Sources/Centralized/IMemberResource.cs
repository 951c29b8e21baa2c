using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Sources.Centralized;

/// <summary>The non-generic face of a member's watch, for the member's aggregate status.</summary>
internal interface IMemberResource
{
    string Resource { get; }

    WatchConnectionState Connection { get; }

    bool IsSynced { get; }

    /// <summary>
    /// Lets the index's sync gate stop waiting for this resource (the member sync timeout, or an API the member
    /// does not serve); true only the first time, and only if it had not listed.
    /// </summary>
    bool GiveUp();
}
