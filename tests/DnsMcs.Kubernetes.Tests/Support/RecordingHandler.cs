using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Kubernetes.Tests.Support;

/// <summary>Records what a watcher reports and lets a test wait for a condition on it (with a safety timeout, never as the assertion).</summary>
internal sealed class RecordingHandler<T> : IResourceEventHandler<T>
    where T : KubernetesObject
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly List<ResourceEvent<T>> _events = [];
    private readonly List<WatchConnectionState> _states = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int SyncedCalls { get; private set; }

    public IReadOnlyList<ResourceEvent<T>> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<WatchConnectionState> States
    {
        get
        {
            lock (_lock)
            {
                return [.. _states];
            }
        }
    }

    public ValueTask OnEventAsync(ResourceEvent<T> change, CancellationToken cancellationToken) => Record(() => _events.Add(change));

    public ValueTask OnSyncedAsync(CancellationToken cancellationToken) => Record(() => SyncedCalls++);

    public ValueTask OnConnectionStateChangedAsync(WatchConnectionState state, CancellationToken cancellationToken) => Record(() => _states.Add(state));

    /// <summary>Events of one type for one key, in order.</summary>
    public IReadOnlyList<ResourceEvent<T>> For(string key) => [.. Events.Where(e => e.Object.Key == key)];

    public async Task WaitForAsync(Func<RecordingHandler<T>, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(SafetyTimeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for: {what}. Events: {string.Join(", ", Events.Select(e => $"{e.Type} {e.Object.Key}@{e.Object.Metadata.ResourceVersion}"))}; states: {string.Join(", ", States.Select(s => s.Connected ? "connected" : $"disconnected ({s.Reason})"))}");
            }
        }
    }

    private ValueTask Record(Action action)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            action();
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
