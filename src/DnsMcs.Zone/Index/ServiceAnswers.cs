namespace DnsMcs.Zone.Index;

/// <summary>
/// Everything one service answers, immutable once built: its own name (key "") and the names below it
/// (per-endpoint names, _port._proto names and their empty non-terminals), keyed by the labels in front of
/// "&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;" in lowercased wire form, all in one <see cref="NameTable"/>. Swapped in as a
/// whole, so a reader sees one version of a service's answers.
/// </summary>
internal sealed class ServiceAnswers(NameTable names, int readyEndpoints, int clusters)
{
    public int ReadyEndpoints { get; } = readyEndpoints;

    public int Clusters { get; } = clusters;

    public int NameCount => names.Count;

    /// <summary>Bytes held (for the memory figures).</summary>
    public long Size => 40 + names.Size;

    /// <summary>The service name's node; false when the service name does not exist (headless with no ready endpoint).</summary>
    public bool TryGetService(out NameNode node) => names.TryGet([], out node);

    /// <summary>A name below the service; <paramref name="prefix"/> is never empty (one label at least).</summary>
    public bool TryGetBelow(ReadOnlySpan<byte> prefix, out NameNode node) => names.TryGet(prefix, out node);
}
