using System.Collections.Immutable;
using DnsMcs.Zone.Model;

namespace DnsMcs.Sources;

/// <summary>
/// Value equality for the Zone models. Their records hold ImmutableArray fields, whose own equality
/// compares array references, so two identical objects read from two reloads would never be equal.
/// </summary>
internal static class ZoneModelEquality
{
    public static bool Equal(ServiceInfo a, ServiceInfo b) =>
        string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal)
        && string.Equals(a.Name, b.Name, StringComparison.Ordinal)
        && a.Type == b.Type
        && SequenceEqual(a.Ips, b.Ips)
        && SequenceEqual(a.Ports, b.Ports);

    public static bool Equal(EndpointSliceInfo a, EndpointSliceInfo b)
    {
        if (!string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal)
            || !string.Equals(a.Name, b.Name, StringComparison.Ordinal)
            || !string.Equals(a.ServiceName, b.ServiceName, StringComparison.Ordinal)
            || !string.Equals(a.ClusterId, b.ClusterId, StringComparison.Ordinal)
            || a.AddressFamily != b.AddressFamily
            || !SequenceEqual(a.Ports, b.Ports)
            || a.Endpoints.Length != b.Endpoints.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Endpoints.Length; i++)
        {
            if (!Equal(a.Endpoints[i], b.Endpoints[i]))
            {
                return false;
            }
        }

        return true;
    }

    // EndpointInfo compares its packed addresses itself; reading Addresses would build IPAddress objects.
    public static bool Equal(EndpointInfo a, EndpointInfo b) => a.Equals(b);

    // PortInfo is a record of scalars and IPAddress has value equality, so element Equals is exact.
    private static bool SequenceEqual<T>(ImmutableArray<T> a, ImmutableArray<T> b) =>
        a.IsDefault || b.IsDefault ? a.IsDefaultOrEmpty && b.IsDefaultOrEmpty : a.AsSpan().SequenceEqual(b.AsSpan(), EqualityComparer<T>.Default);
}
