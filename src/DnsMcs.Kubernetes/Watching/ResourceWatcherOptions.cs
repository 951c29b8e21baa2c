namespace DnsMcs.Kubernetes.Watching;

public sealed record ResourceWatcherOptions
{
    /// <summary>Namespace to watch; null for all (and for cluster-scoped resources).</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public int PageSize { get; init; } = 500;

    /// <summary>
    /// Asked of the server per watch request; it closes the watch after about this long and we
    /// resume from the last resourceVersion. client-go picks 5-10 minutes.
    /// </summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    /// <summary>
    /// No event or bookmark for this long means the stream is dead even if TCP says otherwise
    /// (a NAT or proxy dropped it): reconnect. Servers send a bookmark about every minute.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Use a streaming list (watch with sendInitialEvents=true) instead of a paged list;
    /// falls back to list+watch if the server rejects it.
    /// </summary>
    public bool UseStreamingList { get; init; }

    /// <summary>
    /// True (the default): the watcher keeps every whole object, for <see cref="ResourceWatcher{T}.TryGet"/> and
    /// <see cref="ResourceWatcher{T}.Snapshot"/>. False: it keeps only each object's key and resourceVersion, which
    /// is all that relists (synthetic deletes, skipping unchanged versions) need; for a handler that keeps its own
    /// slim copy (the DNS server). Then TryGet and Snapshot refuse, Updated events carry no OldObject, and a
    /// synthetic Deleted carries a tombstone holding only namespace, name and the last resourceVersion seen.
    /// </summary>
    public bool KeepObjects { get; init; } = true;
}
