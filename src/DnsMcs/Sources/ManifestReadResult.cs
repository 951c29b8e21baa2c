using System.Collections.Immutable;

namespace DnsMcs.Sources;

/// <summary>
/// What one manifest file holds: the served objects, the objects skipped as not ours (with why), and
/// the errors. A file with any error is rejected as a whole by the source, so a half-edited file never
/// serves half its objects.
/// </summary>
internal sealed record ManifestReadResult(
    ImmutableArray<ManifestEntry> Entries,
    ImmutableArray<string> Ignored,
    ImmutableArray<ManifestError> Errors)
{
    public bool IsValid => Errors.IsEmpty;
}
