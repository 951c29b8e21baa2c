using System.Collections.Concurrent;
using DnsMcs.Zone.Faults;
using DnsMcs.Zone.Index;
using DnsMcs.Zone.Model;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Zone;

/// <summary>
/// The answer index. Writers (sources) go through <see cref="IClusterSetWriter"/>, serialised by a lock;
/// each change recomputes only the services it touches and swaps each service's answers in whole.
/// Readers (the responder) take no lock: they look services up in a concurrent dictionary by wire bytes
/// and read immutable answers (see ClusterSetIndex.Lookup.cs for the name grammar).
/// Each service is built on its own: a name it cannot represent, or an exception while building it, costs only
/// that name (or, for an exception, that update of that service), is reported once through <see cref="Rejected"/>
/// and counted by reason, and never stops the writer or any other service.
/// </summary>
public sealed partial class ClusterSetIndex : IClusterSetWriter
{
    private readonly Lock _writeLock = new();
    private readonly TimeProvider _time;

    // Writer side, guarded by _writeLock.
    private readonly Dictionary<(string Namespace, string Name), ServiceState> _states = [];
    private readonly Dictionary<(string Namespace, string Name), EndpointSliceInfo> _slices = [];
    private readonly HashSet<string> _namespaceObjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _servicesPerNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _slicesPerCluster = new(StringComparer.Ordinal);
    private readonly HashSet<(string Namespace, string Name)> _dirty = [];
    private readonly HashSet<string> _sources = new(StringComparer.Ordinal);
    private readonly HashSet<string> _syncedSources = new(StringComparer.Ordinal);
    private int _batchDepth;
    private string? _localClusterId;
    private int _readyEndpoints;
    private readonly long[] _rejectedCounts = new long[IndexRejectionReasons.All.Count];

    // Reader side: published for lock-free reads.
    private volatile ZoneData _data;
    private readonly ConcurrentDictionary<byte[], bool> _namespaces = new(ByteKeyComparer.Instance);
    private readonly ConcurrentDictionary<byte[], bool>.AlternateLookup<ReadOnlySpan<byte>> _namespaceLookup;
    private long _serial;
    private volatile bool _synced = true;

    public ClusterSetIndex(ZoneOptions options, TimeProvider? timeProvider = null)
    {
        _options = options;
        _data = new ZoneData(new ZoneContext(options), options.NameServerAddresses);
        _time = timeProvider ?? TimeProvider.System;
        _namespaceLookup = _namespaces.GetAlternateLookup<ReadOnlySpan<byte>>();
        _serial = _time.GetUtcNow().ToUnixTimeSeconds();
    }

    private ZoneOptions _options;

    public ZoneOptions Options => Volatile.Read(ref _options);

    /// <summary>True once every registered source has completed its first full list.</summary>
    public bool IsSynced => _synced;

    /// <summary>The SOA serial: Unix time of the last change to the index (never going backwards).</summary>
    public uint Serial => (uint)Volatile.Read(ref _serial);

    public int ServiceCount => _data.Services.Count;

    public int ReadyEndpointCount => Volatile.Read(ref _readyEndpoints);

    internal ZoneContext Zone => _data.Zone;

    /// <summary>Distinct clusters that slices come from (the clusters-indexed gauge); kept as slices come and go.</summary>
    public int ClusterCount
    {
        get
        {
            lock (_writeLock)
            {
                // Slices without a source-cluster label belong to the local cluster, which may also be named by others.
                var count = _slicesPerCluster.Count;
                if (_slicesPerCluster.ContainsKey(string.Empty) && _localClusterId is { } local && _slicesPerCluster.ContainsKey(local))
                {
                    count--;
                }

                return count;
            }
        }
    }

    /// <summary>
    /// A service's answers left something out (a name that cannot be represented, records past 65535 bytes) or
    /// failed to build. Raised once per fault, when it first appears, on the writer's thread while it holds the
    /// write lock: a handler logs or counts, and must not wait on anything.
    /// </summary>
    public event EventHandler<IndexRejection>? Rejected;

    /// <summary>How many faults of this reason have appeared since start (the dnsmcs_index_rejected_total counter).</summary>
    public long RejectedCount(IndexRejectionReason reason) => Interlocked.Read(ref _rejectedCounts[(int)reason]);

    /// <summary>What the index leaves out right now, service by service (for diagnostics).</summary>
    public IReadOnlyList<IndexRejection> CurrentRejections()
    {
        lock (_writeLock)
        {
            return [.. _states.Values.SelectMany(s => s.Rejections)];
        }
    }

    /// <summary>Sources registered but not yet synced (for /ready details).</summary>
    public IReadOnlyList<string> PendingSources()
    {
        lock (_writeLock)
        {
            return [.. _sources.Where(s => !_syncedSources.Contains(s)).Order(StringComparer.Ordinal)];
        }
    }

    public void PutService(ServiceInfo service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_writeLock)
        {
            var key = (service.Namespace, service.Name);
            var state = GetOrAddState(key);
            if (state.Service is null)
            {
                AddNamespaceReference(service.Namespace, +1);
            }

            state.Service = service;
            MarkDirty(key);
            FlushIfNotBatching();
        }
    }

    public void RemoveService(string @namespace, string name)
    {
        lock (_writeLock)
        {
            var key = (@namespace, name);
            if (_states.TryGetValue(key, out var state) && state.Service is not null)
            {
                state.Service = null;
                AddNamespaceReference(@namespace, -1);
                MarkDirty(key);
                FlushIfNotBatching();
            }
        }
    }

    public void PutEndpointSlice(EndpointSliceInfo slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        lock (_writeLock)
        {
            DetachSlice(slice.Namespace, slice.Name);
            _slices[(slice.Namespace, slice.Name)] = slice;
            CountSlice(slice, +1);
            var key = (slice.Namespace, slice.ServiceName);
            GetOrAddState(key).Slices[slice.Name] = slice;
            MarkDirty(key);

            // Detach and attach are published together: a reader never sees the service without the slice.
            FlushIfNotBatching();
        }
    }

    public void RemoveEndpointSlice(string @namespace, string name)
    {
        lock (_writeLock)
        {
            DetachSlice(@namespace, name);
            FlushIfNotBatching();
        }
    }

    public void PutNamespace(string name)
    {
        lock (_writeLock)
        {
            if (_namespaceObjects.Add(name))
            {
                PublishNamespace(name);
            }
        }
    }

    public void RemoveNamespace(string name)
    {
        lock (_writeLock)
        {
            if (_namespaceObjects.Remove(name))
            {
                PublishNamespace(name);
            }
        }
    }

    public void SetLocalClusterId(string? clusterId)
    {
        lock (_writeLock)
        {
            if (string.Equals(_localClusterId, clusterId, StringComparison.Ordinal))
            {
                return;
            }

            _localClusterId = clusterId;
            foreach (var key in _states.Keys)
            {
                _dirty.Add(key);
            }

            FlushIfNotBatching();
        }
    }

    /// <summary>
    /// Applies a new zone, TTL or name-server list (a configuration reload): every service is rebuilt into a new
    /// table, which then replaces the old one in one step. O(zone); readers keep answering from the old table meanwhile.
    /// </summary>
    public void Reconfigure(ZoneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = new ZoneData(new ZoneContext(options), options.NameServerAddresses);
        lock (_writeLock)
        {
            _readyEndpoints = 0;
            try
            {
                foreach (var key in _states.Keys.ToList())
                {
                    Rebuild(data, key);
                }
            }
            finally
            {
                _dirty.Clear();
            }

            Volatile.Write(ref _options, options);
            _data = data;
            Touch();
        }
    }

    public IDisposable Batch()
    {
        lock (_writeLock)
        {
            _batchDepth++;
        }

        return new BatchScope(this);
    }

    public void RegisterSource(string source)
    {
        lock (_writeLock)
        {
            _sources.Add(source);
            _synced = _sources.IsSubsetOf(_syncedSources);
        }
    }

    public void MarkSynced(string source)
    {
        lock (_writeLock)
        {
            _sources.Add(source);
            _syncedSources.Add(source);
            _synced = _sources.IsSubsetOf(_syncedSources);
        }
    }

    private ServiceState GetOrAddState((string Namespace, string Name) key)
    {
        if (!_states.TryGetValue(key, out var state))
        {
            state = new ServiceState();
            _states.Add(key, state);
        }

        return state;
    }

    private void DetachSlice(string @namespace, string name)
    {
        if (!_slices.Remove((@namespace, name), out var old))
        {
            return;
        }

        CountSlice(old, -1);
        var key = (@namespace, old.ServiceName);
        if (_states.TryGetValue(key, out var state))
        {
            state.Slices.Remove(name);
            MarkDirty(key);
        }
    }

    private void CountSlice(EndpointSliceInfo slice, int delta)
    {
        var cluster = slice.ClusterId ?? string.Empty;
        var count = _slicesPerCluster.GetValueOrDefault(cluster) + delta;
        if (count > 0)
        {
            _slicesPerCluster[cluster] = count;
        }
        else
        {
            _slicesPerCluster.Remove(cluster);
        }
    }

    private void AddNamespaceReference(string @namespace, int delta)
    {
        var count = _servicesPerNamespace.GetValueOrDefault(@namespace) + delta;
        if (count > 0)
        {
            _servicesPerNamespace[@namespace] = count;
        }
        else
        {
            _servicesPerNamespace.Remove(@namespace);
        }

        PublishNamespace(@namespace);
    }

    /// <summary>A namespace exists for DNS if its Namespace object is known or a service lives in it.</summary>
    private void PublishNamespace(string @namespace)
    {
        if (!NameRules.IsWireLabel(@namespace))
        {
            return; // not a label: no name to publish (its services report why they are not served)
        }

        var key = ZoneContext.Labels(@namespace);
        if (_namespaceObjects.Contains(@namespace) || _servicesPerNamespace.ContainsKey(@namespace))
        {
            if (_namespaces.TryAdd(key, true))
            {
                Touch();
            }
        }
        else if (_namespaces.TryRemove(key, out _))
        {
            Touch();
        }
    }

    private void MarkDirty((string Namespace, string Name) key) => _dirty.Add(key);

    private void FlushIfNotBatching()
    {
        if (_batchDepth > 0 || _dirty.Count == 0)
        {
            return;
        }

        var data = _data;
        try
        {
            foreach (var key in _dirty)
            {
                Rebuild(data, key);
            }
        }
        finally
        {
            // Whatever happened, the next change starts clean: a stuck dirty set would freeze every later update.
            _dirty.Clear();
            Touch();
        }
    }

    /// <summary>
    /// Builds one service into <paramref name="data"/>. Faults stay inside: a name that cannot be represented is
    /// left out by the builder; an exception keeps the answers the service had in <paramref name="data"/> (none
    /// on a reconfiguration, whose table is new). Either way it is reported, and the next service is built.
    /// </summary>
    private void Rebuild(ZoneData data, (string Namespace, string Name) key)
    {
        if (!_states.TryGetValue(key, out var state))
        {
            return;
        }

        // A name or namespace that is not one label has no key (the builder reports it).
        byte[]? wireKey = NameRules.IsWireLabel(key.Name) && NameRules.IsWireLabel(key.Namespace) ? ZoneContext.Labels(key.Name, key.Namespace) : null;
        ServiceAnswers? previous = null;
        if (wireKey is not null && data.Services.TryGetValue(wireKey, out previous))
        {
            _readyEndpoints -= previous.ReadyEndpoints;
        }

        if (state.Service is null)
        {
            if (wireKey is not null)
            {
                data.Services.TryRemove(wireKey, out _);
            }

            state.Rejections = [];
            if (state.IsEmpty)
            {
                _states.Remove(key);
            }

            return;
        }

        var rejections = new List<IndexRejection>();
        ServiceAnswers? answers;
        try
        {
            answers = data.Builder.Build(state.Service, state.Slices.Values, _localClusterId, rejections);
        }
        catch (Exception e)
        {
            rejections.Add(new IndexRejection(key.Namespace, key.Name, IndexRejectionReason.BuildFailed, $"ServiceImport {key.Namespace}/{key.Name}", "-",
                $"{e.GetType().Name}: {e.Message}", previous is null ? "the service is not served" : "its previous answers are kept"));
            answers = previous;
        }

        if (wireKey is not null)
        {
            if (answers is null)
            {
                data.Services.TryRemove(wireKey, out _);
            }
            else
            {
                data.Services[wireKey] = answers;
                _readyEndpoints += answers.ReadyEndpoints;
            }
        }

        Report(state, rejections);
    }

    /// <summary>Counts and raises the faults this build found that the service's previous build did not.</summary>
    private void Report(ServiceState state, List<IndexRejection> rejections)
    {
        var before = state.Rejections;
        state.Rejections = rejections.Count == 0 ? [] : rejections;
        foreach (var rejection in rejections)
        {
            if (before.Any(r => r.Identity == rejection.Identity))
            {
                continue;
            }

            Interlocked.Increment(ref _rejectedCounts[(int)rejection.Reason]);
            try
            {
                Rejected?.Invoke(this, rejection);
            }
            catch (Exception)
            {
                // A failing observer must not cost the index its update; the counter above still moved.
            }
        }
    }

    private void Touch()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        Volatile.Write(ref _serial, Math.Max(now, Volatile.Read(ref _serial)));
    }

    private void EndBatch()
    {
        lock (_writeLock)
        {
            _batchDepth--;
            FlushIfNotBatching();
        }
    }

    private sealed class BatchScope(ClusterSetIndex index) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                index.EndBatch();
            }
        }
    }
}
