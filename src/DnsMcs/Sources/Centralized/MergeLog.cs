namespace DnsMcs.Sources.Centralized;

/// <summary>What was last logged about one merged service, so its conflicts and its being unservable are logged once per change.</summary>
internal sealed class MergeLog
{
    /// <summary>The conflicts last logged, as text.</summary>
    public string ConflictSignature { get; set; } = string.Empty;

    public string? InvalidMergeReason { get; set; }

    public bool IsEmpty => ConflictSignature.Length == 0 && InvalidMergeReason is null;
}
