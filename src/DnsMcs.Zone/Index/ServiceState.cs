using DnsMcs.Zone.Faults;
using DnsMcs.Zone.Model;

namespace DnsMcs.Zone.Index;

/// <summary>
/// Writer-side state of one service: its ServiceImport (if any), its EndpointSlices by slice name, and what its
/// last build left out (so a fault is reported when it appears, not at every rebuild).
/// </summary>
internal sealed class ServiceState
{
    public ServiceInfo? Service { get; set; }

    public Dictionary<string, EndpointSliceInfo> Slices { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<IndexRejection> Rejections { get; set; } = [];

    public bool IsEmpty => Service is null && Slices.Count == 0;
}
