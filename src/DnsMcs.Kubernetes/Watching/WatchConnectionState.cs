namespace DnsMcs.Kubernetes.Watching;

/// <summary>Whether the watcher currently reaches the API server; the reason says why not (for logs and /ready details).</summary>
public sealed record WatchConnectionState(bool Connected, string? Reason, DateTimeOffset Since)
{
    public static WatchConnectionState Initial { get; } = new(false, "not started", DateTimeOffset.MinValue);
}
