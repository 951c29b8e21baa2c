namespace DnsMcs.Sources;

/// <summary>Where <see cref="ManifestSource"/> reads manifests, and how often it looks for changes the watcher missed.</summary>
internal sealed class ManifestSourceOptions
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(100);

    /// <summary>The folder, read recursively; paths in messages are shown relative to it as given.</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// How often every file's size and times (on Linux, which file it is too) are compared, whatever the watcher
    /// says: inotify misses events on some filesystems (network mounts, some container volumes). At most a second,
    /// so a change is served within a second without a restart.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>False to rely on the poll alone (tests of the poll; filesystems where inotify misbehaves).</summary>
    public bool WatchFileSystem { get; init; } = true;

    /// <summary>How long to wait after a watcher event for the rest of a save (editors write in several steps).</summary>
    public TimeSpan Debounce { get; init; } = DefaultDebounce;
}
