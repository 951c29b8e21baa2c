namespace DnsMcs.Zone.Index;

/// <summary>
/// Everything one service answers, immutable once built: its own name (<see cref="Service"/>) and the
/// names below it (per-endpoint names, _port._proto names and their empty non-terminals), keyed by the
/// labels in front of "&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;" in lowercased wire form. Swapped in as a whole, so a
/// reader sees one version of a service's answers.
/// </summary>
internal sealed class ServiceAnswers
{
    private readonly Dictionary<byte[], NameNode>.AlternateLookup<ReadOnlySpan<byte>> _below;

    public ServiceAnswers(NameNode? service, Dictionary<byte[], NameNode> below, int readyEndpoints, int clusters)
    {
        Service = service;
        _below = below.GetAlternateLookup<ReadOnlySpan<byte>>();
        ReadyEndpoints = readyEndpoints;
        Clusters = clusters;
    }

    /// <summary>The service name's node; null when the service name does not exist (headless with no ready endpoint).</summary>
    public NameNode? Service { get; }

    public int ReadyEndpoints { get; }

    public int Clusters { get; }

    public int NameCount => _below.Dictionary.Count + (Service is null ? 0 : 1);

    public bool TryGetBelow(ReadOnlySpan<byte> prefix, out NameNode node) => _below.TryGetValue(prefix, out node!);
}
