using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Multicluster;

/// <summary>
/// The MCS conflict rule (KEP-1645, "Constraints and Conflict Resolution"), in one place for the
/// controller and the centralized DNS mode: exports are taken oldest first (ServiceExport
/// creationTimestamp, then cluster name); the oldest decides the service type and session affinity;
/// ports are the union, and a port that clashes with an earlier one (same name with another number or
/// protocol, or the same number and protocol under another name) is dropped and reported as a
/// PortConflict on the younger export.
/// </summary>
public static class ServiceExportMerger
{
    /// <summary>Merges valid exports of one namespace/name; null when there are none.</summary>
    public static MergedExport? Merge(IEnumerable<ExportCandidate> candidates)
    {
        var ordered = candidates
            .OrderBy(c => c.CreatedAt)
            .ThenBy(c => c.Cluster, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count == 0)
        {
            return null;
        }

        var oldest = ordered[0];
        var ports = new List<ServicePort>();
        var conflicts = new Dictionary<string, IReadOnlyList<ExportConflict>>(StringComparer.Ordinal);
        foreach (var candidate in ordered)
        {
            var found = new List<ExportConflict>();
            if (candidate.ImportType != oldest.ImportType)
            {
                found.Add(new(ExportConflict.TypeConflict, $"service type {candidate.ImportType} conflicts with {oldest.ImportType} of the oldest export in cluster {oldest.Cluster}"));
            }

            var affinity = candidate.Service.Spec?.SessionAffinity ?? "None";
            var oldestAffinity = oldest.Service.Spec?.SessionAffinity ?? "None";
            if (!string.Equals(affinity, oldestAffinity, StringComparison.Ordinal))
            {
                found.Add(new(ExportConflict.SessionAffinityConflict, $"session affinity {affinity} conflicts with {oldestAffinity} of the oldest export in cluster {oldest.Cluster}"));
            }

            foreach (var port in candidate.Service.Spec?.Ports ?? [])
            {
                var protocol = port.Protocol ?? "TCP";
                var clash = ports.FirstOrDefault(p =>
                    (string.Equals(p.Name ?? string.Empty, port.Name ?? string.Empty, StringComparison.Ordinal) && (p.Port != port.Port || !string.Equals(p.Protocol, protocol, StringComparison.Ordinal)))
                    || (p.Port == port.Port && string.Equals(p.Protocol, protocol, StringComparison.Ordinal) && !string.Equals(p.Name ?? string.Empty, port.Name ?? string.Empty, StringComparison.Ordinal)));
                if (clash is not null)
                {
                    found.Add(new(ExportConflict.PortConflict, $"port {Describe(port.Name, port.Port, protocol)} conflicts with {Describe(clash.Name, clash.Port, clash.Protocol)} of an older export"));
                }
                else if (!ports.Exists(p => p.Port == port.Port && string.Equals(p.Protocol, protocol, StringComparison.Ordinal)))
                {
                    ports.Add(new ServicePort { Name = port.Name, Protocol = protocol, Port = port.Port, AppProtocol = port.AppProtocol });
                }
            }

            if (found.Count > 0)
            {
                conflicts[candidate.Cluster] = found;
            }
        }

        var name = oldest.Export.Metadata;
        return new MergedExport(
            name.Namespace ?? string.Empty,
            name.Name ?? string.Empty,
            oldest.ImportType,
            ports,
            oldest.Service.Spec?.SessionAffinity,
            oldest.Cluster,
            ordered,
            conflicts);
    }

    /// <summary>
    /// Why a ServiceExport cannot be exported (the "Valid" condition's False reasons), or null when it can:
    /// the Service must exist and must not be ExternalName.
    /// </summary>
    public static (string Reason, string Message)? Validate(Service? service)
    {
        if (service is null)
        {
            return ("NoService", "no Service of this name exists in this namespace");
        }

        if (string.Equals(service.Spec?.Type, "ExternalName", StringComparison.Ordinal))
        {
            return ("InvalidServiceType", "ExternalName services cannot be exported");
        }

        return null;
    }

    private static string Describe(string? name, int port, string? protocol) =>
        string.IsNullOrEmpty(name) ? $"{port}/{protocol}" : $"{name} ({port}/{protocol})";
}
