using DnsMcs.Zone.Model;

namespace DnsMcs.Zone.Index;

/// <summary>Writer-side state of one service: its ServiceImport (if any) and its EndpointSlices by slice name.</summary>
internal sealed class ServiceState
{
    public ServiceInfo? Service { get; set; }

    public Dictionary<string, EndpointSliceInfo> Slices { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Service is null && Slices.Count == 0;
}
