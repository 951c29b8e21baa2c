using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Multicluster;

/// <summary>
/// The clusterset view of one exported service: the winning (oldest) export's type and session affinity,
/// the union of ports with clashes resolved for the oldest, the clusters that export it in age order, and
/// each cluster's conflicts (empty when it agrees).
/// </summary>
public sealed record MergedExport(
    string Namespace,
    string Name,
    string Type,
    IReadOnlyList<ServicePort> Ports,
    string? SessionAffinity,
    string OldestCluster,
    IReadOnlyList<ExportCandidate> Clusters,
    IReadOnlyDictionary<string, IReadOnlyList<ExportConflict>> Conflicts)
{
    public bool IsHeadless => Type == ServiceImportTypes.Headless;

    public IReadOnlyList<ExportConflict> ConflictsOf(string cluster) =>
        Conflicts.TryGetValue(cluster, out var conflicts) ? conflicts : [];
}
