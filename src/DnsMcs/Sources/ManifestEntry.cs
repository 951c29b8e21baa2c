namespace DnsMcs.Sources;

/// <summary>A served object read from a manifest, with where it was defined (for duplicate warnings).</summary>
internal sealed record ManifestEntry(ClusterSetObject Object, string Path, long Line)
{
    public string Location => $"{Path}:{Line}";
}
