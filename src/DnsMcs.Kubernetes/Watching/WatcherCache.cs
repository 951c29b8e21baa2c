using System.Collections.Concurrent;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Watching;

/// <summary>
/// What a <see cref="ResourceWatcher{T}"/> remembers of each object between events: the whole object (readers on
/// other threads use TryGet and Snapshot), or only its key and resourceVersion (see
/// <see cref="ResourceWatcherOptions.KeepObjects"/>). Written only by the watcher's run loop.
/// </summary>
internal sealed class WatcherCache<T>
    where T : KubernetesObject
{
    private readonly ConcurrentDictionary<string, T>? _objects;
    private readonly Dictionary<string, string?>? _versions;
    private readonly Func<T>? _createTombstone;
    private int _count;

    private WatcherCache(ConcurrentDictionary<string, T>? objects, Dictionary<string, string?>? versions, Func<T>? createTombstone)
    {
        _objects = objects;
        _versions = versions;
        _createTombstone = createTombstone;
    }

    public static WatcherCache<T> WholeObjects() => new(new(StringComparer.Ordinal), null, null);

    /// <param name="createTombstone">Makes an empty object, for the synthetic delete of an object only known by key.</param>
    public static WatcherCache<T> KeysAndVersions(Func<T> createTombstone) => new(null, new(StringComparer.Ordinal), createTombstone);

    public bool KeepsObjects => _objects is not null;

    /// <summary>Read from any thread; in the keys-only mode it may trail the run loop by an event.</summary>
    public int Count => _objects?.Count ?? Volatile.Read(ref _count);

    public bool TryGetObject(string key, out T? value)
    {
        if (_objects is null)
        {
            throw KeysOnly();
        }

        return _objects.TryGetValue(key, out value);
    }

    public IReadOnlyList<T> Snapshot() => _objects is null ? throw KeysOnly() : [.. _objects.Values];

    /// <summary>True when <paramref name="key"/> is known; <paramref name="old"/> is its object if whole objects are kept.</summary>
    public bool TryGetVersion(string key, out string? version, out T? old)
    {
        if (_objects is not null)
        {
            var found = _objects.TryGetValue(key, out old);
            version = old?.Metadata.ResourceVersion;
            return found;
        }

        old = null;
        return _versions!.TryGetValue(key, out version);
    }

    public void Set(string key, T obj)
    {
        if (_objects is not null)
        {
            _objects[key] = obj;
            return;
        }

        _versions![key] = obj.Metadata.ResourceVersion;
        Volatile.Write(ref _count, _versions.Count);
    }

    /// <summary>Forgets <paramref name="key"/>; false if it was not known.</summary>
    public bool Remove(string key)
    {
        if (_objects is not null)
        {
            return _objects.TryRemove(key, out _);
        }

        var removed = _versions!.Remove(key);
        Volatile.Write(ref _count, _versions.Count);
        return removed;
    }

    /// <summary>Forgets <paramref name="key"/>; <paramref name="gone"/> is its last object, or a tombstone naming it.</summary>
    public bool TryRemove(string key, out T? gone)
    {
        if (_objects is not null)
        {
            return _objects.TryRemove(key, out gone);
        }

        if (!_versions!.Remove(key, out var version))
        {
            gone = null;
            return false;
        }

        Volatile.Write(ref _count, _versions.Count);
        gone = Tombstone(key, version);
        return true;
    }

    /// <summary>The keys remembered that <paramref name="seen"/> lacks: what vanished while we could not watch.</summary>
    public List<string> KeysNotIn(HashSet<string> seen)
    {
        IEnumerable<string> keys = _objects is not null ? _objects.Keys : _versions!.Keys;
        return [.. keys.Where(key => !seen.Contains(key))];
    }

    private T Tombstone(string key, string? version)
    {
        // Keys are "namespace/name" or "name" (see KubernetesObject.Key); neither part may hold a '/'.
        var tombstone = _createTombstone!();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        tombstone.Metadata.Namespace = slash < 0 ? null : key[..slash];
        tombstone.Metadata.Name = slash < 0 ? key : key[(slash + 1)..];
        tombstone.Metadata.ResourceVersion = version;
        return tombstone;
    }

    private static InvalidOperationException KeysOnly() =>
        new($"this {typeof(T).Name} watcher keeps only keys and resourceVersions (KeepObjects = false): it has no objects to read");
}
