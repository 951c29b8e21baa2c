using DnsMcs.Kubernetes.Models;
using DnsMcs.Zone.Model;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// What one member cluster last told us, by namespace/name: its ServiceExports, its Services, and its
/// Services' own EndpointSlices already translated (by service, then slice). Nothing here is dropped when
/// the member becomes unreachable; only its watchers' events (including synthetic deletes after a
/// relist) change it. Guarded by the <see cref="ClusterSetView"/> lock.
/// </summary>
internal sealed class MemberObjects(string name)
{
    public string Name { get; } = name;

    public Dictionary<(string Namespace, string Name), ServiceExport> Exports { get; } = [];

    public Dictionary<(string Namespace, string Name), Service> Services { get; } = [];

    /// <summary>Translated slices by (namespace, service), then by the slice's own name.</summary>
    public Dictionary<(string Namespace, string Service), Dictionary<string, EndpointSliceInfo>> Slices { get; } = [];

    /// <summary>Which service each slice belongs to, so a delete (or a relabel) finds it.</summary>
    public Dictionary<(string Namespace, string Slice), string> SliceOwners { get; } = [];

    public HashSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>The last reason logged for each export that cannot be exported, so each is logged once per change.</summary>
    public Dictionary<(string Namespace, string Name), string> InvalidExports { get; } = [];

    /// <summary>Until the Services list is complete an export without its Service is expected, not worth a warning.</summary>
    public bool ServicesSynced { get; set; }

    public IEnumerable<EndpointSliceInfo> SlicesOf((string Namespace, string Name) service) =>
        Slices.TryGetValue(service, out var slices) ? slices.Values : [];
}
