using System.Collections.Immutable;
using DnsMcs.Zone.Model;

namespace DnsMcs.Zone.Explain;

/// <summary>
/// A copy of one service's objects as the index holds them: the ServiceImport (null when none is known), the
/// EndpointSlices labelled for it, and what makes its namespace exist (a Namespace object, or any ServiceImport in it).
/// </summary>
public sealed record ServiceModel(
    string Namespace,
    string Name,
    ServiceInfo? Service,
    ImmutableArray<EndpointSliceInfo> Slices,
    bool NamespaceObjectKnown,
    bool NamespaceHasServices,
    string? LocalClusterId)
{
    public bool NamespaceExists => NamespaceObjectKnown || NamespaceHasServices;

    /// <summary>The cluster a slice belongs to: its source-cluster label, else the local cluster id; lowercased as names are.</summary>
    public string? ClusterOf(EndpointSliceInfo slice) => (slice.ClusterId ?? LocalClusterId)?.ToLowerInvariant();
}
