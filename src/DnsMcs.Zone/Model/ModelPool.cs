using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace DnsMcs.Zone.Model;

/// <summary>
/// One shared instance per value for what thousands of slices repeat: cluster ids, port names and protocols, and
/// whole port lists. Every EndpointSlice of an exported service carries the same few, parsed afresh from each object;
/// sharing them saves about 250 bytes per slice. Capped, so a stream of distinct values cannot grow it for ever:
/// past the cap a value is simply kept as given.
/// </summary>
internal static class ModelPool
{
    private const int Cap = 4096;

    private static readonly ConcurrentDictionary<string, string> Strings = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<ImmutableArray<PortInfo>, ImmutableArray<PortInfo>> PortLists = new(PortListComparer.Instance);

    public static string? Share(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (Strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return Strings.Count < Cap ? Strings.GetOrAdd(value, value) : value;
    }

    public static ImmutableArray<PortInfo> Share(ImmutableArray<PortInfo> ports)
    {
        if (ports.IsDefaultOrEmpty)
        {
            return ports;
        }

        if (PortLists.TryGetValue(ports, out var shared))
        {
            return shared;
        }

        return PortLists.Count < Cap ? PortLists.GetOrAdd(ports, ports) : ports;
    }

    private sealed class PortListComparer : IEqualityComparer<ImmutableArray<PortInfo>>
    {
        public static readonly PortListComparer Instance = new();

        public bool Equals(ImmutableArray<PortInfo> x, ImmutableArray<PortInfo> y) => x.AsSpan().SequenceEqual(y.AsSpan());

        public int GetHashCode(ImmutableArray<PortInfo> obj)
        {
            var hash = new HashCode();
            foreach (var port in obj)
            {
                hash.Add(port);
            }

            return hash.ToHashCode();
        }
    }
}
