using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.IO.Enumeration;
using DnsMcs.Metrics;
using DnsMcs.Zone;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources;

/// <summary>
/// Serves a folder of manifests and keeps serving its changes without a restart.
/// 1. On start, every *.yaml, *.yml and *.json under the folder is read (in ordinal path order) and
///    applied in one batch, then the source is marked synced.
/// 2. A FileSystemWatcher and a poll of each file's size and times (inotify misses events on some
///    filesystems) trigger a reload; the watcher's events are debounced, the poll runs every second.
///    The poll lists the folder again only when a folder in it changed (on Linux: one <c>statx</c> per folder,
///    then one per file), and at least every <see cref="ListingRefreshPolls"/> polls.
/// 3. A reload re-reads only files that changed. A file with any error is logged with path and line and
///    keeps its last good objects (all or nothing per file); a deleted file takes its objects with it.
/// 4. The files' objects are merged (the same key in two files: the later path wins, with a warning),
///    diffed against what was applied last, and only the differences are put or removed, in one batch.
/// </summary>
internal sealed class ManifestSource : IHostedService, IDisposable
{
    public const string SourceName = "manifests";

    /// <summary>However still the folders look, the poll lists them again this often.</summary>
    private const int ListingRefreshPolls = 30;

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    // A folder changed this recently may change again within its filesystem's timestamp granularity, unseen: its
    // listing is not reused until it has been still for this long.
    private const long RacyNanoseconds = 2_000_000_000;

    private readonly ManifestSourceOptions _options;
    private readonly IClusterSetWriter _writer;
    private readonly ILogger<ManifestSource> _logger;
    private readonly SourceMetrics? _metrics;
    private readonly Lock _reloadLock = new();
    // A wait handle, not a SemaphoreSlim: SemaphoreSlim spins (65 sched_yield calls) before each one-second sleep.
    private readonly AutoResetEvent _changed = new(initialState: false);

    // Paths the watcher reported: re-read even when size and mtime look unchanged (a same-size edit
    // within the filesystem's timestamp granularity).
    private readonly ConcurrentDictionary<string, byte> _dirtyPaths = new(StringComparer.Ordinal);

    private Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private Listing? _listing;
    private int _pollsSinceListing;
    private Dictionary<ObjectKey, ClusterSetObject> _applied = [];
    private HashSet<string> _reportedDuplicates = new(StringComparer.Ordinal);
    private bool _directoryErrorReported;
    private int _signalled;
    private int _rereadAll;
    private long _generation;
    private TaskCompletionSource _nextGeneration = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FileSystemWatcher? _watcher;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public ManifestSource(ManifestSourceOptions options, IClusterSetWriter writer, ILogger<ManifestSource> logger, SourceMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.PollInterval, TimeSpan.Zero, nameof(options.PollInterval));
        _options = options;
        _writer = writer;
        _logger = logger;
        _metrics = metrics;
        _metrics?.Watching(SourceResource.Manifest);

        // Registered here rather than in StartAsync: the host builds every hosted service before starting
        // any, so the index knows to wait for us before the DNS listeners can answer a negative.
        _writer.RegisterSource(SourceName);
    }

    /// <summary>Grows by one for every reload that changed the index.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Completes once <see cref="Generation"/> reaches <paramref name="generation"/> (its changes are in the index).</summary>
    public async Task WaitForGenerationAsync(long generation, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Read the signal before the generation: Apply bumps the generation before it swaps the signal.
            var next = Volatile.Read(ref _nextGeneration);
            if (Generation >= generation)
            {
                return;
            }

            await next.Task.WaitAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_options.Directory))
        {
            throw new DirectoryNotFoundException($"The manifest directory '{_options.Directory}' does not exist.");
        }

        Reload(initial: true);
        var objects = _applied.Count;
        ManifestSourceLog.Loaded(_logger, objects, _files.Count, _options.Directory);
        _writer.MarkSynced(SourceName);
        _metrics?.SetSynced(true);

        if (_options.WatchFileSystem)
        {
            StartWatcher();
        }

        // A thread of its own, blocking between polls: on the pool, each second's poll also woke a worker, a timer and
        // the pool's gate thread, which an idle server paid for every second.
        _stopping = new CancellationTokenSource();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var token = _stopping.Token;
        new Thread(() =>
        {
            WatchLoop(token);
            stopped.SetResult();
        })
        { IsBackground = true, Name = "dnsmcs manifests" }.Start();
        _loop = stopped.Task;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _watcher = null;
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends at its next wait.
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _stopping?.Cancel();
        _stopping?.Dispose();
        _changed.Dispose();
    }

    /// <summary>Reads what changed in the folder and applies the difference, now, on the calling thread.</summary>
    public ManifestReloadResult ReloadAll() => Reload(initial: false, poll: false);

    // poll: the listing may be reused when no folder changed (a reload on request lists the folder again).
    private ManifestReloadResult Reload(bool initial, bool poll = false)
    {
        lock (_reloadLock)
        {
            // Taken before listing, so a file created after the listing keeps its event for the next reload.
            var rereadAll = Interlocked.Exchange(ref _rereadAll, 0) != 0;
            var dirty = TakeDirtyPaths();
            Listing listing;
            try
            {
                listing = List(reuse: poll && !rereadAll && dirty.Count == 0);
                if (_directoryErrorReported)
                {
                    ManifestSourceLog.DirectoryBack(_logger, _options.Directory);
                    _directoryErrorReported = false;
                    RestartWatcher();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // What the watcher said is still to be read once the folder is back.
                foreach (var path in dirty)
                {
                    _dirtyPaths[path] = 0;
                }

                if (rereadAll)
                {
                    Volatile.Write(ref _rereadAll, 1);
                }

                // A folder that vanished or cannot be read is an outage, not an instruction to delete everything.
                // One line, no stack trace: what happened is all the operator needs, and it is said once.
                _metrics?.Error(SourceResource.Manifest);
                if (!_directoryErrorReported)
                {
                    if (ex is DirectoryNotFoundException)
                    {
                        ManifestSourceLog.DirectoryGone(_logger, _options.Directory);
                    }
                    else
                    {
                        ManifestSourceLog.DirectoryUnreadable(_logger, _options.Directory, ex.Message);
                    }

                    _directoryErrorReported = true;
                }

                return new ManifestReloadResult(0, 0, 0, Generation);
            }

            var paths = listing.Paths;
            var files = new Dictionary<string, FileState>(paths.Length, StringComparer.Ordinal);
            var invalidFiles = 0;
            for (var i = 0; i < paths.Length; i++)
            {
                var path = paths[i];
                var state = Refresh(path, listing.NativePaths?[i], rereadAll || (dirty.Count > 0 && dirty.Contains(Path.GetFullPath(path))));
                if (state is null)
                {
                    continue;
                }

                files[path] = state;
                invalidFiles += state.Failing ? 1 : 0;
            }

            if (_metrics is not null)
            {
                for (var deleted = _files.Keys.Count(path => !files.ContainsKey(path)); deleted > 0; deleted--)
                {
                    _metrics.WatchEvent(SourceResource.Manifest, WatchEventKind.Deleted);
                }
            }

            // The usual poll: every file as it was (Refresh hands back the same state), none gone. Merging and diffing
            // every object again would find nothing, at a cost that grows with the folder, every second.
            var unchanged = !initial && files.Count == _files.Count
                && files.All(pair => _files.TryGetValue(pair.Key, out var before) && ReferenceEquals(before, pair.Value));
            _files = files;
            return unchanged ? new ManifestReloadResult(0, 0, invalidFiles, Generation) : Apply(Merge(paths), invalidFiles, initial);
        }
    }

    // Events that arrive while this reload runs stay for the next one.
    private HashSet<string> TakeDirtyPaths()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        if (_dirtyPaths.IsEmpty)
        {
            return taken; // the usual poll: listing the keys would take every one of the dictionary's locks
        }

        foreach (var path in _dirtyPaths.Keys)
        {
            if (_dirtyPaths.TryRemove(path, out _))
            {
                taken.Add(path);
            }
        }

        return taken;
    }

    private FileState? Refresh(string path, byte[]? nativePath, bool reread)
    {
        switch (Fingerprint(path, nativePath, out var fingerprint))
        {
            case FileStatus.Missing:
                return null; // deleted since the folder was listed, a dangling link, or no file to read (a FIFO)
            case FileStatus.Unreadable:
                return _files.GetValueOrDefault(path);
        }

        if (_files.TryGetValue(path, out var previous) && previous.Fingerprint == fingerprint && !reread)
        {
            return previous;
        }

        return Read(path, fingerprint, previous);
    }

    /// <summary>What the file is now; <see cref="FileStatus.Missing"/> too for what is not a regular file.</summary>
    private static FileStatus Fingerprint(string path, byte[]? nativePath, out FileFingerprint fingerprint)
    {
        if (nativePath is null)
        {
            return FingerprintFromFileInfo(path, out fingerprint);
        }

        var stat = FileStat.Get(nativePath);
        fingerprint = new FileFingerprint(stat.Length, stat.Modified, stat.Changed, stat.Device, stat.Inode, LinkTarget: null);
        return stat is { Status: FileStatus.Found, Kind: not FileKind.Regular } ? FileStatus.Missing : stat.Status;
    }

    /// <summary>Where <see cref="FileStat"/> is not available.</summary>
    private static FileStatus FingerprintFromFileInfo(string path, out FileFingerprint fingerprint)
    {
        fingerprint = default;
        try
        {
            // Taken before reading: a write racing with the read leaves a newer fingerprint for the next poll.
            FileSystemInfo info = new FileInfo(path);

            // FileInfo describes a symbolic link itself; a mounted ConfigMap changes only what its links
            // resolve to (..data is swapped), so fingerprint the final target, and which file it is.
            string? target = null;
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
                target = info.FullName;
            }

            // Missing covers a dangling link and a link to a directory as well.
            if (info is not FileInfo { Exists: true } file)
            {
                return FileStatus.Missing;
            }

            fingerprint = new FileFingerprint(file.Length, file.LastWriteTimeUtc.Ticks, 0, 0, 0, target);
            return FileStatus.Found;
        }
        catch (FileNotFoundException)
        {
            return FileStatus.Missing; // deleted since the folder was listed
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FileStatus.Unreadable;
        }
    }

    private FileState Read(string path, FileFingerprint fingerprint, FileState? previous)
    {
        var read = ManifestReader.ReadFile(path);
        _metrics?.WatchEvent(SourceResource.Manifest, previous is null ? WatchEventKind.Added : WatchEventKind.Modified);
        if (read.IsValid)
        {
            // Once per file and object: an edit elsewhere in the file does not repeat what was already said.
            foreach (var ignored in read.Ignored.Except(previous?.Ignored ?? [], StringComparer.Ordinal))
            {
                ManifestSourceLog.Ignored(_logger, ignored);
            }

            if (previous is { Failing: true })
            {
                ManifestSourceLog.Recovered(_logger, path);
            }

            return new FileState(fingerprint, read.Entries, read.Ignored, Failing: false);
        }

        _metrics?.Error(SourceResource.Manifest);

        // Only a file that once read well has content to fall back on.
        var lastGood = previous?.Entries ?? [];
        foreach (var error in read.Errors)
        {
            if (lastGood.IsEmpty)
            {
                ManifestSourceLog.InvalidManifestNothingServed(_logger, error);
            }
            else
            {
                ManifestSourceLog.InvalidManifest(_logger, error);
            }
        }

        return new FileState(fingerprint, lastGood, previous?.Ignored ?? [], Failing: true);
    }

    private Dictionary<ObjectKey, ManifestEntry> Merge(string[] paths)
    {
        var desired = new Dictionary<ObjectKey, ManifestEntry>();
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!_files.TryGetValue(path, out var state))
            {
                continue;
            }

            foreach (var entry in state.Entries)
            {
                var key = entry.Object.Key;
                if (desired.TryGetValue(key, out var earlier))
                {
                    // Warn once per pair of definitions, not on every reload.
                    var duplicate = $"{key}|{earlier.Location}|{entry.Location}";
                    if (duplicates.Add(duplicate) && !_reportedDuplicates.Contains(duplicate))
                    {
                        ManifestSourceLog.DuplicateObject(_logger, key.ToString(), earlier.Location, entry.Location);
                    }
                }

                desired[key] = entry;
            }
        }

        _reportedDuplicates = duplicates;
        return desired;
    }

    private ManifestReloadResult Apply(Dictionary<ObjectKey, ManifestEntry> desired, int invalidFiles, bool initial)
    {
        var removed = _applied.Where(pair => !desired.ContainsKey(pair.Key)).Select(pair => pair.Value).ToList();
        var put = desired.Values
            .Select(entry => entry.Object)
            .Where(obj => !_applied.TryGetValue(obj.Key, out var old) || !old.ContentEquals(obj))
            .ToList();
        if (removed.Count == 0 && put.Count == 0)
        {
            return new ManifestReloadResult(0, 0, invalidFiles, Generation);
        }

        using (_writer.Batch())
        {
            foreach (var obj in removed)
            {
                obj.Remove(_writer);
            }

            foreach (var obj in put)
            {
                obj.Apply(_writer);
            }
        }

        // Only after the writer took everything: if it threw, the next reload computes the same diff again.
        _applied = desired.ToDictionary(pair => pair.Key, pair => pair.Value.Object);
        var generation = Interlocked.Increment(ref _generation);
        Interlocked.Exchange(ref _nextGeneration, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (!initial)
        {
            // The first load has its own summary line (Loaded).
            ManifestSourceLog.Applied(_logger, put.Count, removed.Count);
        }

        return new ManifestReloadResult(put.Count, removed.Count, invalidFiles, generation);
    }

    /// <summary>
    /// The folder's manifests in ordinal path order. A poll reuses the last listing while every folder in it is the
    /// same folder with the same modification and change times (adding, removing or renaming an entry changes them),
    /// none changed within <see cref="RacyNanoseconds"/> of being listed, and fewer than
    /// <see cref="ListingRefreshPolls"/> polls went by; each file's own change is the fingerprint's to find.
    /// </summary>
    private Listing List(bool reuse)
    {
        if (reuse && _listing is { Racy: false } previous && ++_pollsSinceListing < ListingRefreshPolls
            && previous.Directories.All(directory => FileStat.Get(directory.NativePath).SameAs(directory.Identity)))
        {
            return previous;
        }

        _pollsSinceListing = 0;
        _listing = null; // until this listing is complete: a folder that fails to list is listed again next time
        var listing = ReadListing();
        _listing = listing;
        return listing;
    }

    private Listing ReadListing()
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,

            // Skips dot-entries, which on Unix are "hidden": editor swap files, and the ..data and
            // ..2024_… folders of a mounted ConfigMap, which would otherwise define every object twice.
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            MaxRecursionDepth = 16,
        };
        var listed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var directories = new List<string> { _options.Directory };
        var paths = new FileSystemEnumerable<string>(_options.Directory, (ref FileSystemEntry entry) => entry.ToSpecifiedFullPath(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && IsManifest(entry.FileName),
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
            {
                directories.Add(entry.ToSpecifiedFullPath());
                return true;
            },
        }.ToArray();
        Array.Sort(paths, StringComparer.Ordinal);
        if (!FileStat.IsAvailable)
        {
            return new Listing(paths, NativePaths: null, Directories: [], Racy: true);
        }

        // Looked at after the listing: a folder that changed meanwhile has a change time within the racy window.
        var marks = directories.Select(FileStat.NativePath).Select(native => new DirectoryMark(native, FileStat.Get(native))).ToArray();
        var racy = marks.Any(mark => mark.Identity.Status != FileStatus.Found
            || Math.Max(mark.Identity.Modified, mark.Identity.Changed) >= listed - RacyNanoseconds);
        return new Listing(paths, [.. paths.Select(FileStat.NativePath)], marks, racy);
    }

    private static bool IsManifest(ReadOnlySpan<char> fileName)
    {
        var extension = Path.GetExtension(fileName);
        foreach (var candidate in Extensions)
        {
            if (extension.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void WatchLoop(CancellationToken cancellationToken)
    {
        try
        {
            WaitHandle[] wakers = [_changed, cancellationToken.WaitHandle];
            while (!cancellationToken.IsCancellationRequested)
            {
                var woken = WaitHandle.WaitAny(wakers, _options.PollInterval);
                if (woken == 1 || (woken == 0 && cancellationToken.WaitHandle.WaitOne(_options.Debounce)))
                {
                    return; // stopped, or stopped while letting a burst of writes settle
                }

                Volatile.Write(ref _signalled, 0);
                try
                {
                    Reload(initial: false, poll: true);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ManifestSourceLog.ReloadFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (ObjectDisposedException)
        {
            // Disposed without StopAsync: the wait handle or the token went with it. Nothing is left to watch for.
        }
    }

    // A watcher follows the folder it was given, not its path: after the folder is deleted and made again it sees nothing.
    private void RestartWatcher()
    {
        if (_watcher is null)
        {
            return;
        }

        _watcher.Dispose();
        _watcher = null;
        StartWatcher();
    }

    private void StartWatcher()
    {
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(_options.Directory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileRenamed;
            watcher.Error += OnWatcherError;
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // Out of inotify watches, say: the poll still finds every change, only a little later.
            watcher?.Dispose();
            ManifestSourceLog.WatcherUnavailable(_logger, _options.Directory, _options.PollInterval, ex);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        _dirtyPaths[Path.GetFullPath(e.FullPath)] = 0;
        Signal();
    }

    private void OnFileRenamed(object sender, RenamedEventArgs e)
    {
        _dirtyPaths[Path.GetFullPath(e.OldFullPath)] = 0;
        _dirtyPaths[Path.GetFullPath(e.FullPath)] = 0;
        Signal();
    }

    // The watcher overflowed and lost events: we no longer know which files changed.
    private void OnWatcherError(object sender, ErrorEventArgs e)
    {
        Volatile.Write(ref _rereadAll, 1);
        Signal();
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _changed.Set();
        }
    }

    /// <summary>
    /// What says a file changed: from <see cref="FileStat"/>, its size, times (ns) and identity, links followed; from
    /// <see cref="FileInfo"/> elsewhere, its size, mtime (ticks) and what a link resolves to.
    /// </summary>
    private readonly record struct FileFingerprint(long Length, long Modified, long Changed, ulong Device, ulong Inode, string? LinkTarget);

    /// <summary>A folder of the listing, as it was when listed.</summary>
    private sealed record DirectoryMark(byte[] NativePath, FileIdentity Identity);

    /// <summary>The manifests found, their native paths (null without <see cref="FileStat"/>), and the folders listed.</summary>
    private sealed record Listing(string[] Paths, byte[][]? NativePaths, DirectoryMark[] Directories, bool Racy);

    /// <summary>A file's fingerprint when last read, its last good objects and the objects it skipped, and whether its last read failed.</summary>
    private sealed record FileState(FileFingerprint Fingerprint, ImmutableArray<ManifestEntry> Entries, ImmutableArray<string> Ignored, bool Failing);
}
