using DnsMcs.Zone;
using DnsMcs.Zone.Model;

namespace DnsMcs.Tests.Sources;

/// <summary>
/// An IClusterSetWriter that records every call as a line ("PutService shop/web", "BatchStart") and keeps
/// the resulting state, so tests can assert both what was called and what would be served.
/// </summary>
internal sealed class RecordingClusterSetWriter : IClusterSetWriter
{
    private readonly Lock _lock = new();
    private readonly List<string> _calls = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _batchDepth;

    public Dictionary<string, ServiceInfo> Services { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EndpointSliceInfo> Slices { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

    public string? LocalClusterId { get; private set; }

    /// <summary>Calls that changed state outside a Batch() scope (the source promises there are none).</summary>
    public int UnbatchedWrites { get; private set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public int CallCount
    {
        get
        {
            lock (_lock)
            {
                return _calls.Count;
            }
        }
    }

    public IReadOnlyList<string> CallsSince(int index)
    {
        lock (_lock)
        {
            return _calls.Skip(index).ToList();
        }
    }

    public void PutService(ServiceInfo service) =>
        Write($"PutService {service.Namespace}/{service.Name}", () => Services[$"{service.Namespace}/{service.Name}"] = service);

    public void RemoveService(string @namespace, string name) =>
        Write($"RemoveService {@namespace}/{name}", () => Services.Remove($"{@namespace}/{name}"));

    public void PutEndpointSlice(EndpointSliceInfo slice) =>
        Write($"PutEndpointSlice {slice.Namespace}/{slice.Name}", () => Slices[$"{slice.Namespace}/{slice.Name}"] = slice);

    public void RemoveEndpointSlice(string @namespace, string name) =>
        Write($"RemoveEndpointSlice {@namespace}/{name}", () => Slices.Remove($"{@namespace}/{name}"));

    public void PutNamespace(string name) => Write($"PutNamespace {name}", () => Namespaces.Add(name));

    public void RemoveNamespace(string name) => Write($"RemoveNamespace {name}", () => Namespaces.Remove(name));

    public void SetLocalClusterId(string? clusterId) => Write($"SetLocalClusterId {clusterId ?? "(none)"}", () => LocalClusterId = clusterId);

    public IDisposable Batch()
    {
        Record("BatchStart", null);
        lock (_lock)
        {
            _batchDepth++;
        }

        return new BatchScope(this);
    }

    public void RegisterSource(string source) => Record($"RegisterSource {source}", null);

    public void MarkSynced(string source) => Record($"MarkSynced {source}", null);

    /// <summary>The service's IPs as text, or null when it is not served.</summary>
    public string? ServiceIps(string key)
    {
        lock (_lock)
        {
            return Services.TryGetValue(key, out var service) ? string.Join(",", service.Ips.Select(ip => ip.ToString())) : null;
        }
    }

    /// <summary>Completes when <paramref name="condition"/> (checked under the writer's lock after every call) holds.</summary>
    public Task WaitUntilAsync(Func<RecordingClusterSetWriter, bool> condition)
    {
        lock (_lock)
        {
            if (condition(this))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((() => condition(this), done));
            return done.Task;
        }
    }

    private void Write(string call, Action change) => Record(call, change);

    private void Record(string call, Action? change)
    {
        lock (_lock)
        {
            if (change is not null)
            {
                if (_batchDepth == 0)
                {
                    UnbatchedWrites++;
                }

                change();
            }

            _calls.Add(call);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private sealed class BatchScope(RecordingClusterSetWriter owner) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            lock (owner._lock)
            {
                owner._batchDepth--;
            }

            owner.Record("BatchEnd", null);
        }
    }
}
