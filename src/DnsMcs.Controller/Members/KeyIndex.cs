using System.Collections.Concurrent;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Controller.Members;

/// <summary>
/// A secondary index of a watcher's cache: which objects belong to which namespace/name (an
/// EndpointSlice to its Service, say), so a reconcile reads a service's slices without scanning
/// every slice of the cluster. Fed in order by the watcher's events.
/// </summary>
internal sealed class KeyIndex<T>(Func<T, string?> keyOf)
    where T : KubernetesObject
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byKey = new(StringComparer.Ordinal);

    public void Apply(ResourceEvent<T> change)
    {
        var old = change.Type == ResourceEventType.Deleted ? change.Object : change.OldObject;
        if (old is not null && keyOf(old) is { } oldKey && _byKey.TryGetValue(oldKey, out var set))
        {
            set.TryRemove(old.Key, out _);
        }

        if (change.Type != ResourceEventType.Deleted && keyOf(change.Object) is { } key)
        {
            _byKey.GetOrAdd(key, _ => new(StringComparer.Ordinal))[change.Object.Key] = 0;
        }
    }

    public IReadOnlyCollection<string> Get(string key) =>
        _byKey.TryGetValue(key, out var set) ? (IReadOnlyCollection<string>)set.Keys : [];

    public IEnumerable<string> Keys => _byKey.Where(e => !e.Value.IsEmpty).Select(e => e.Key);
}
