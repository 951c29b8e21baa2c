using System.Diagnostics;
using System.Net;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Kubernetes.Watching;

/// <summary>
/// Keeps an up-to-date cache of one resource and reports every change, surviving whatever a
/// long-lived watch meets:
/// 1. sync: a paged list (or a streaming list, if asked), reconciled against the cache: new
///    objects are Added, changed ones Updated, vanished ones get a synthetic Deleted;
/// 2. watch from the list's resourceVersion with bookmarks, moving the resourceVersion forward
///    with every event and bookmark;
/// 3. when the server closes the watch, resume from the last resourceVersion at once; when the
///    stream breaks or stays silent past the idle timeout, resume after a jittered backoff;
/// 4. on 410 Gone (HTTP or an ERROR event) the history we need is gone: back to 1.
/// The cache is never cleared on a connection error: the last known state stays. It holds whole objects,
/// or with <see cref="ResourceWatcherOptions.KeepObjects"/> off only keys and resourceVersions: enough for 1
/// and for skipping events that repeat a version already seen.
/// </summary>
public sealed class ResourceWatcher<T>
    where T : KubernetesObject
{
    private readonly KubernetesClient _client;
    private readonly ResourceType<T> _type;
    private readonly IResourceEventHandler<T> _handler;
    private readonly ResourceWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WatcherCache<T> _cache;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _name;
    private bool _streamingListRejected;
    private bool _needsList;

    public ResourceWatcher(KubernetesClient client, ResourceType<T> type, IResourceEventHandler<T> handler, ResourceWatcherOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        _client = client;
        _type = type;
        _handler = handler;
        _options = options ?? new ResourceWatcherOptions();
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _name = _options.LabelSelector is null ? type.ToString() : $"{type} ({_options.LabelSelector})";
        _cache = _options.KeepObjects
            ? WatcherCache<T>.WholeObjects()
            : WatcherCache<T>.KeysAndVersions(type.TypeInfo.CreateObject ?? throw new ArgumentException($"{typeof(T).Name} has no parameterless constructor for the tombstones of a keys-only watcher", nameof(type)));
    }

    /// <summary>Completes after the first complete list has been delivered.</summary>
    public Task Synced => _synced.Task;

    public bool IsSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch would start from.</summary>
    public string? ResourceVersion { get; private set; }

    public WatchConnectionState ConnectionState { get; private set; } = WatchConnectionState.Initial;

    /// <summary>How many times the watcher has listed (first sync and every relist); for diagnostics and tests.</summary>
    public int ListCount { get; private set; }

    public int Count => _cache.Count;

    /// <exception cref="InvalidOperationException">The watcher keeps only keys (<see cref="ResourceWatcherOptions.KeepObjects"/> off).</exception>
    public bool TryGet(string key, out T? value) => _cache.TryGetObject(key, out value);

    /// <summary>The current objects; a point-in-time copy.</summary>
    /// <exception cref="InvalidOperationException">The watcher keeps only keys (<see cref="ResourceWatcherOptions.KeepObjects"/> off).</exception>
    public IReadOnlyList<T> Snapshot() => _cache.Snapshot();

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; never gives up on the server.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        _needsList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_needsList && _options.UseStreamingList && !_streamingListRejected)
                {
                    // The streaming list and the watch that follows share one stream; it clears
                    // _needsList at the initial-events-end bookmark.
                    await WatchAsync(streamingList: true, backoff, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_needsList)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    backoff.Reset();
                }

                await WatchAsync(streamingList: false, backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                WatcherLog.Gone(_logger, _name, ResourceVersion);

                // A watch that expired relists at once; a list that keeps expiring (its
                // continue tokens outrun by compaction) waits like any other failure.
                var duringList = _needsList;
                _needsList = true;
                if (duringList && !await DelayAsync(backoff.Next(), cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (KubernetesApiException e) when (_needsList && _options.UseStreamingList && !_streamingListRejected && e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
            {
                // Servers without WatchList (before 1.32 by default) answer 422 Invalid.
                WatcherLog.StreamingListRejected(_logger, _name, e.Message);
                _streamingListRejected = true;
            }
            catch (WatchIdleException)
            {
                WatcherLog.Idle(_logger, _name, _options.IdleTimeout);
            }
            catch (Exception e)
            {
                // Anything else (network, TLS, 5xx, 403, an unreadable object, a failing
                // credential plugin) is retried with backoff: the watcher never gives up, and
                // the reason is visible in ConnectionState.
                var delay = backoff.Next();
                WatcherLog.Failed(_logger, e, _name, delay);
                await SetConnectionAsync(false, Describe(e), cancellationToken).ConfigureAwait(false);
                if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
    }

    /// <summary>False when cancelled during the wait.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// A paged list, applied page by page: each page's objects are reported and dropped before the next page is
    /// asked for, so a relist holds one page of whole objects (plus the keys seen), never the whole collection (at
    /// 100k endpoints the merged list was the process's peak: RSS stayed at it after the GC had freed it). Objects
    /// that vanished get their synthetic deletes once the last page is in. If a continue token expires (410) the
    /// list starts over from a new snapshot; what was reported from the old one is compared by resourceVersion, and
    /// only the new snapshot's keys count for deletes, so pages of two snapshots are never mixed in the outcome.
    /// </summary>
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        const int maxRestarts = 3;
        var listOptions = new ListOptions { Namespace = _options.Namespace, LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.PageSize };
        var reconcile = new Reconciliation();
        for (var restart = 0; ; restart++)
        {
            reconcile.Seen.Clear();
            var page = await _client.ListPageAsync(_type, listOptions, null, cancellationToken).ConfigureAwait(false);
            var arrivedAt = Stopwatch.GetTimestamp();
            var resourceVersion = page.Metadata.ResourceVersion;
            var items = 0;
            if (restart == 0)
            {
                ListCount++;
                await SetConnectionAsync(true, null, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                while (true)
                {
                    items += page.Items.Count;
                    foreach (var item in page.Items)
                    {
                        await ReconcileOneAsync(reconcile, item, arrivedAt, cancellationToken).ConfigureAwait(false);
                    }

                    var continueToken = page.Metadata.Continue;
                    if (string.IsNullOrEmpty(continueToken))
                    {
                        break;
                    }

                    page = await _client.ListPageAsync(_type, listOptions, continueToken, cancellationToken).ConfigureAwait(false);
                    arrivedAt = Stopwatch.GetTimestamp();
                }
            }
            catch (KubernetesApiException e) when (e.IsGone && restart < maxRestarts)
            {
                WatcherLog.ListContinueExpired(_logger, _name);
                continue;
            }

            WatcherLog.Listed(_logger, _name, items, resourceVersion);
            await FinishReconcileAsync(reconcile, arrivedAt, cancellationToken).ConfigureAwait(false);
            ResourceVersion = resourceVersion;
            _needsList = false;
            return;
        }
    }

    private async Task WatchAsync(bool streamingList, Backoff backoff, CancellationToken cancellationToken)
    {
        var options = new WatchOptions
        {
            Namespace = _options.Namespace,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            ResourceVersion = streamingList ? null : ResourceVersion,
            AllowWatchBookmarks = true,
            TimeoutSeconds = _options.WatchTimeoutSeconds,
            SendInitialEvents = streamingList,
        };

        // The idle watchdog: a token that fires unless pushed back by every event.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_options.IdleTimeout);
        Reconciliation? initial = streamingList ? new() : null;
        try
        {
            await using var stream = await _client.WatchAsync(_type, options, idle.Token).ConfigureAwait(false);
            if (streamingList)
            {
                ListCount++;
            }

            await SetConnectionAsync(true, null, cancellationToken).ConfigureAwait(false);
            while (await stream.ReadAsync(idle.Token).ConfigureAwait(false) is { } watchEvent)
            {
                idle.CancelAfter(_options.IdleTimeout);
                backoff.Reset();
                if (initial is not null)
                {
                    if (await CollectInitialAsync(initial, watchEvent, cancellationToken).ConfigureAwait(false))
                    {
                        initial = null;
                    }

                    continue;
                }

                await ApplyAsync(watchEvent, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new WatchIdleException();
        }

        if (initial is not null)
        {
            // Closed before the initial state was complete: it cannot be trusted, list again.
            throw new IOException("streaming list ended before k8s.io/initial-events-end");
        }

        WatcherLog.WatchClosed(_logger, _name, ResourceVersion);
    }

    /// <summary>
    /// Applies a streaming list as it arrives (as a paged list, one object at a time, keeping only the keys seen);
    /// true once the initial-events-end bookmark has been applied, with its synthetic deletes.
    /// </summary>
    private async Task<bool> CollectInitialAsync(Reconciliation initial, WatchEvent<T> watchEvent, CancellationToken cancellationToken)
    {
        switch (watchEvent.Type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                await ReconcileOneAsync(initial, watchEvent.Object!, watchEvent.ArrivedAt, cancellationToken).ConfigureAwait(false);
                return false;
            case WatchEventType.Deleted:
                // Not part of the initial state after all: forget it was seen, and report it gone if it was known.
                var key = watchEvent.Object!.Key;
                initial.Seen.Remove(key);
                if (_cache.Remove(key))
                {
                    initial.Deleted++;
                    await _handler.OnEventAsync(new(ResourceEventType.Deleted, watchEvent.Object, null, watchEvent.ArrivedAt), cancellationToken).ConfigureAwait(false);
                }

                return false;
            case WatchEventType.Error:
                throw ErrorEventException(watchEvent);
            case WatchEventType.Bookmark when watchEvent.IsInitialEventsEnd:
                await FinishReconcileAsync(initial, watchEvent.ArrivedAt, cancellationToken).ConfigureAwait(false);
                ResourceVersion = watchEvent.ResourceVersion;
                _needsList = false;
                return true;
            default:
                return false;
        }
    }

    private async Task ApplyAsync(WatchEvent<T> watchEvent, CancellationToken cancellationToken)
    {
        switch (watchEvent.Type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                var obj = watchEvent.Object!;
                var key = obj.Key;
                if (_cache.TryGetVersion(key, out var version, out var old))
                {
                    _cache.Set(key, obj);
                    if (!SameVersion(version, obj))
                    {
                        await _handler.OnEventAsync(new(ResourceEventType.Updated, obj, old, watchEvent.ArrivedAt), cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    _cache.Set(key, obj);
                    await _handler.OnEventAsync(new(ResourceEventType.Added, obj, null, watchEvent.ArrivedAt), cancellationToken).ConfigureAwait(false);
                }

                break;
            case WatchEventType.Deleted:
                if (_cache.Remove(watchEvent.Object!.Key))
                {
                    await _handler.OnEventAsync(new(ResourceEventType.Deleted, watchEvent.Object, null, watchEvent.ArrivedAt), cancellationToken).ConfigureAwait(false);
                }

                break;
            case WatchEventType.Error:
                throw ErrorEventException(watchEvent);
            case WatchEventType.Bookmark:
                break;
        }

        if (!string.IsNullOrEmpty(watchEvent.ResourceVersion))
        {
            ResourceVersion = watchEvent.ResourceVersion;
        }
    }

    /// <summary>One listed object against the cache: Added if new, Updated if its resourceVersion moved, else nothing.</summary>
    private async Task ReconcileOneAsync(Reconciliation reconcile, T obj, long arrivedAt, CancellationToken cancellationToken)
    {
        var key = obj.Key;
        reconcile.Seen.Add(key);
        if (_cache.TryGetVersion(key, out var version, out var old))
        {
            if (!SameVersion(version, obj))
            {
                _cache.Set(key, obj);
                reconcile.Updated++;
                await _handler.OnEventAsync(new(ResourceEventType.Updated, obj, old, arrivedAt), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            _cache.Set(key, obj);
            reconcile.Added++;
            await _handler.OnEventAsync(new(ResourceEventType.Added, obj, null, arrivedAt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After a complete list: synthetic deletes for what the list no longer holds, then synced (first time) or a summary.</summary>
    private async Task FinishReconcileAsync(Reconciliation reconcile, long arrivedAt, CancellationToken cancellationToken)
    {
        foreach (var key in _cache.KeysNotIn(reconcile.Seen))
        {
            if (_cache.TryRemove(key, out var gone))
            {
                // A synthetic delete: the object vanished while we could not watch.
                reconcile.Deleted++;
                await _handler.OnEventAsync(new(ResourceEventType.Deleted, gone!, null, arrivedAt), cancellationToken).ConfigureAwait(false);
            }
        }

        if (IsSynced)
        {
            WatcherLog.Reconciled(_logger, _name, reconcile.Added, reconcile.Updated, reconcile.Deleted);
        }
        else
        {
            _synced.TrySetResult();
            await _handler.OnSyncedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SetConnectionAsync(bool connected, string? reason, CancellationToken cancellationToken)
    {
        var current = ConnectionState;
        if (current.Connected == connected && string.Equals(current.Reason, reason, StringComparison.Ordinal))
        {
            return;
        }

        ConnectionState = new WatchConnectionState(connected, reason, _time.GetUtcNow());
        await _handler.OnConnectionStateChangedAsync(ConnectionState, cancellationToken).ConfigureAwait(false);
    }

    private static bool SameVersion(string? known, T obj) =>
        !string.IsNullOrEmpty(known) && string.Equals(known, obj.Metadata.ResourceVersion, StringComparison.Ordinal);

    private static KubernetesApiException ErrorEventException(WatchEvent<T> watchEvent)
    {
        var code = watchEvent.Error?.Code is { } c and >= 400 and < 600 ? (HttpStatusCode)c : HttpStatusCode.InternalServerError;
        return new KubernetesApiException(code, watchEvent.Error, "watch ERROR event");
    }

    private static string Describe(Exception e) => e switch
    {
        KubernetesApiException api => api.Message,
        OperationCanceledException => "request timed out",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private sealed class WatchIdleException : Exception
    {
    }

    /// <summary>What one relist has seen so far (keys only) and changed.</summary>
    private sealed class Reconciliation
    {
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public int Added { get; set; }

        public int Updated { get; set; }

        public int Deleted { get; set; }
    }
}
