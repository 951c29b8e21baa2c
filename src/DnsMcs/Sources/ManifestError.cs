namespace DnsMcs.Sources;

/// <summary>
/// One problem in a manifest file, printed as "path:line: Kind ns/name: what is wrong" — the object
/// part only when the object is known. Line is 1-based; 0 when no line applies (an unreadable file).
/// </summary>
internal sealed record ManifestError(string Path, long Line, string? Object, string Message)
{
    public override string ToString() =>
        Object is null ? $"{Path}:{Line}: {Message}" : $"{Path}:{Line}: {Object}: {Message}";
}
