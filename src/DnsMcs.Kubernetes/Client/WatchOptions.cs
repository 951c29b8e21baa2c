namespace DnsMcs.Kubernetes.Client;

/// <summary>Parameters of one watch request.</summary>
public sealed record WatchOptions
{
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Start after this version; null or empty for "now" (with synthetic ADDED events for current objects).</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>Server closes the watch after this long (it adds jitter); null for the server's default.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Streaming list: initial ADDED events, then a BOOKMARK with k8s.io/initial-events-end (sets resourceVersionMatch=NotOlderThan).</summary>
    public bool SendInitialEvents { get; init; }
}
