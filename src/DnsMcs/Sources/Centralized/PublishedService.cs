using DnsMcs.Zone.Model;

namespace DnsMcs.Sources.Centralized;

/// <summary>What the index holds for one merged service, so a recompute writes only what changed.</summary>
internal sealed class PublishedService
{
    public ServiceInfo? Service { get; set; }

    /// <summary>Slices by their index name ("&lt;member&gt;/&lt;slice&gt;").</summary>
    public Dictionary<string, EndpointSliceInfo> Slices { get; } = new(StringComparer.Ordinal);

    /// <summary>The conflicts last logged, as text; logged again only when they change.</summary>
    public string ConflictSignature { get; set; } = string.Empty;

    public string? InvalidMergeReason { get; set; }

    public bool IsEmpty => Service is null && Slices.Count == 0 && ConflictSignature.Length == 0;
}
