namespace DnsMcs.Sources;

/// <summary>
/// What one reload did: objects put (new or changed), objects removed, files rejected for errors, and
/// the source's generation afterwards (it grows by one for every reload that changed the index).
/// </summary>
internal sealed record ManifestReloadResult(int Put, int Removed, int InvalidFiles, long Generation);
