namespace DnsMcs.Controller.Queue;

/// <summary>
/// A rate-limited work queue of keys, as client-go's: a key waits at most once however often it is
/// added; a key being processed is never handed to a second worker (an add meanwhile marks it
/// dirty and it comes back after <see cref="Done"/>); failures retry with per-key exponential
/// backoff; and a token bucket caps how fast keys are handed out overall.
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _ready = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopped = new();
    private readonly TokenBucket _bucket;
    private readonly TimeSpan _retryBase;
    private readonly TimeSpan _retryMax;
    private readonly TimeProvider _time;

    public WorkQueue(double rate, int burst, TimeSpan retryBase, TimeSpan retryMax, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _bucket = new TokenBucket(rate, burst, _time);
        _retryBase = retryBase;
        _retryMax = retryMax;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_stopped.IsCancellationRequested || !_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }

            _ready.Enqueue(key);
        }

        _signal.Release();
    }

    /// <summary>Adds the key after its next backoff delay; the delay doubles with each failure until <see cref="Forget"/>.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        int failures;
        lock (_lock)
        {
            _failures.TryGetValue(key, out failures);
            _failures[key] = failures + 1;
        }

        var delay = TimeSpan.FromTicks((long)Math.Min(_retryMax.Ticks, _retryBase.Ticks * Math.Pow(2, Math.Min(failures, 40))));
        AddAfter(key, delay);
        return delay;
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _ = DelayedAddAsync(key, delay);
    }

    /// <summary>The key succeeded: its backoff starts over.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Waits for a key (and a token of the rate limit); the caller must call <see cref="Done"/> with it.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            for (var wait = _bucket.TryTake(); wait > TimeSpan.Zero; wait = _bucket.TryTake())
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            lock (_lock)
            {
                if (_ready.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(string key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (!_dirty.Contains(key))
            {
                return;
            }

            _ready.Enqueue(key);
        }

        _signal.Release();
    }

    /// <summary>
    /// Stops the queue: later adds are ignored and pending delayed adds dropped. The semaphore and token
    /// source are left to the collector, because watchers may still call <see cref="Add"/> on a queue a
    /// lost leadership term has just stopped.
    /// </summary>
    public void Dispose() => _stopped.Cancel();

    private async Task DelayedAddAsync(string key, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopped.Token).ConfigureAwait(false);
            Add(key);
        }
        catch (OperationCanceledException)
        {
            // The queue is gone with the leadership term that owned it.
        }
    }
}
