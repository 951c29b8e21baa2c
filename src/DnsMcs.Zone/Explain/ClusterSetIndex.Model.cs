using DnsMcs.Zone.Explain;

namespace DnsMcs.Zone;

public sealed partial class ClusterSetIndex
{
    /// <summary>
    /// What the writer holds for one service now: its ServiceImport, its EndpointSlices, whether its namespace
    /// exists for DNS, and the local cluster id. For explaining answers (<see cref="NameExplainer"/>), not for the
    /// hot path: it takes the writer's lock for the length of a copy of this one service.
    /// </summary>
    public ServiceModel ModelOf(string @namespace, string name)
    {
        lock (_writeLock)
        {
            _states.TryGetValue((@namespace, name), out var state);
            return new ServiceModel(
                @namespace,
                name,
                state?.Service,
                state is null ? [] : [.. state.Slices.Values.OrderBy(s => s.Name, StringComparer.Ordinal)],
                _namespaceObjects.Contains(@namespace),
                _servicesPerNamespace.ContainsKey(@namespace),
                _localClusterId);
        }
    }
}
