using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;
using DnsMcs.Zone.Model;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// What one member cluster last told us, by namespace/name, reduced to what DNS needs: its ServiceExports
/// (only their creation time, which decides conflicts), its Services (only the fields the merge reads) and
/// its Services' own EndpointSlices already translated (by service, then slice), so the member's watches keep
/// no objects. Nothing here is dropped when the member becomes unreachable; only its watchers' events
/// (including synthetic deletes after a relist) change it. Guarded by the <see cref="ClusterSetView"/> lock.
/// </summary>
internal sealed class MemberObjects(string name)
{
    public string Name { get; } = name;

    /// <summary>Copies holding only namespace, name and creationTimestamp.</summary>
    public Dictionary<(string Namespace, string Name), ServiceExport> Exports { get; } = [];

    /// <summary>Copies holding only namespace, name and the spec fields <see cref="Slim(Service)"/> keeps.</summary>
    public Dictionary<(string Namespace, string Name), Service> Services { get; } = [];

    /// <summary>Translated slices by (namespace, service), then by the slice's own name; named "&lt;member&gt;/&lt;slice&gt;" for the index.</summary>
    public Dictionary<(string Namespace, string Service), Dictionary<string, EndpointSliceInfo>> Slices { get; } = [];

    /// <summary>Which service each slice belongs to, so a delete (or a relabel) finds it.</summary>
    public Dictionary<(string Namespace, string Slice), string> SliceOwners { get; } = [];

    public HashSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>The last reason logged for each export that cannot be exported, so each is logged once per change.</summary>
    public Dictionary<(string Namespace, string Name), string> InvalidExports { get; } = [];

    /// <summary>Until the Services list is complete an export without its Service is expected, not worth a warning.</summary>
    public bool ServicesSynced { get; set; }

    /// <summary>
    /// The member's endpoints and ClusterIPs are part of the service: it exports it, and the Service it names
    /// can be exported (<see cref="ServiceExportMerger.Validate"/>). Independent of the other members: one that
    /// loses a conflict still contributes.
    /// </summary>
    public bool Contributes((string Namespace, string Name) key) =>
        Exports.ContainsKey(key) && ServiceExportMerger.Validate(Services.GetValueOrDefault(key)) is null;

    public IEnumerable<EndpointSliceInfo> SlicesOf((string Namespace, string Name) service) =>
        Slices.TryGetValue(service, out var slices) ? slices.Values : [];

    /// <summary>The export as the merge reads it: who, and since when (the oldest export wins a conflict).</summary>
    public static ServiceExport Slim(ServiceExport export) => new()
    {
        Metadata = new ObjectMeta { Namespace = export.Metadata.Namespace, Name = export.Metadata.Name, CreationTimestamp = export.Metadata.CreationTimestamp },
    };

    /// <summary>
    /// The Service as the merge and DNS read it (<see cref="ServiceExportMerger"/>, <see cref="ExportCandidate"/>):
    /// its type, ClusterIPs, ports and session affinity; labels, annotations, selector and status are dropped.
    /// </summary>
    public static Service Slim(Service service) => new()
    {
        Metadata = new ObjectMeta { Namespace = service.Metadata.Namespace, Name = service.Metadata.Name },
        Spec = service.Spec is not { } spec ? null : new ServiceSpec
        {
            Type = spec.Type,
            ClusterIP = spec.ClusterIP,
            ClusterIPs = spec.ClusterIPs,
            Ports = spec.Ports?.ConvertAll(p => new ServicePort { Name = p.Name, Protocol = p.Protocol, Port = p.Port, AppProtocol = p.AppProtocol }),
            SessionAffinity = spec.SessionAffinity,
        },
    };

    /// <summary>True when two slim exports would merge the same.</summary>
    public static bool SameExport(ServiceExport a, ServiceExport b) => a.Metadata.CreationTimestamp == b.Metadata.CreationTimestamp;

    /// <summary>True when two slim Services would merge the same.</summary>
    public static bool SameService(Service a, Service b)
    {
        var (x, y) = (a.Spec, b.Spec);
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        return string.Equals(x.Type, y.Type, StringComparison.Ordinal)
            && string.Equals(x.ClusterIP, y.ClusterIP, StringComparison.Ordinal)
            && string.Equals(x.SessionAffinity, y.SessionAffinity, StringComparison.Ordinal)
            && (x.ClusterIPs ?? []).SequenceEqual(y.ClusterIPs ?? [], StringComparer.Ordinal)
            && (x.Ports ?? []).SequenceEqual(y.Ports ?? [], PortComparer.Instance);
    }

    private sealed class PortComparer : IEqualityComparer<ServicePort>
    {
        public static readonly PortComparer Instance = new();

        public bool Equals(ServicePort? x, ServicePort? y) =>
            x is not null && y is not null
            && x.Port == y.Port
            && string.Equals(x.Name, y.Name, StringComparison.Ordinal)
            && string.Equals(x.Protocol, y.Protocol, StringComparison.Ordinal)
            && string.Equals(x.AppProtocol, y.AppProtocol, StringComparison.Ordinal);

        public int GetHashCode(ServicePort obj) => obj.Port;
    }
}
