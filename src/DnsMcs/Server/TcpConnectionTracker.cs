namespace DnsMcs.Server;

/// <summary>
/// Counts open TCP connections across all endpoints, enforces the cap, and lets shutdown wait until the last one
/// has finished its queries.
/// </summary>
internal sealed class TcpConnectionTracker(int cap)
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private volatile bool _closing;

    public int Cap { get; } = cap;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Claims a slot; false when the cap is reached or the server is stopping.</summary>
    public bool TryEnter()
    {
        if (_closing)
        {
            return false;
        }

        if (Interlocked.Increment(ref _open) <= Cap)
        {
            return true;
        }

        Exit();
        return false;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _open) == 0 && _closing)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Refuses new connections; completes when the open ones have ended.</summary>
    public Task CloseAsync()
    {
        _closing = true;
        if (Volatile.Read(ref _open) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
