using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Zone;
using DnsMcs.Zone.Model;

namespace DnsMcs.Benchmarks;

/// <summary>
/// A synthetic clusterset: services spread over namespaces, each exported from two clusters. Four in five
/// services are ClusterSetIP with a VIP, one in five is headless with StatefulSet-style hostnames.
/// </summary>
internal static class SyntheticClusterSet
{
    public const int ServicesPerNamespace = 50;

    public static string ServiceName(int i) => $"svc-{i}.ns-{i / ServicesPerNamespace}.svc.clusterset.local.";

    public static bool IsHeadless(int i) => i % 5 == 4;

    public static ClusterSetIndex Build(int services, int endpointsPerService)
    {
        var index = new ClusterSetIndex(new ZoneOptions { NameServerAddresses = [IPAddress.Loopback] });
        Load(index, services, endpointsPerService);
        return index;
    }

    public static void Load(IClusterSetWriter index, int services, int endpointsPerService)
    {
        using var batch = index.Batch();
        foreach (var (service, slices) in Generate(services, endpointsPerService))
        {
            index.PutService(service);
            foreach (var slice in slices)
            {
                index.PutEndpointSlice(slice);
            }
        }
    }

    public static IEnumerable<(ServiceInfo Service, EndpointSliceInfo[] Slices)> Generate(int services, int endpointsPerService)
    {
        PortInfo[] ports = [new("http", "TCP", 80), new("metrics", "TCP", 9090)];
        for (var i = 0; i < services; i++)
        {
            var ns = $"ns-{i / ServicesPerNamespace}";
            var name = $"svc-{i}";
            var headless = IsHeadless(i);
            var ips = headless ? ImmutableArray<IPAddress>.Empty : [V4(0x0A600000u + (uint)i)];
            var service = new ServiceInfo(ns, name, headless ? ServiceType.Headless : ServiceType.ClusterSetIP, ips, [.. ports]);
            var slices = new EndpointSliceInfo[2];
            for (var c = 0; c < 2; c++)
            {
                var cluster = c == 0 ? "cluster-a" : "cluster-b";
                var count = (endpointsPerService / 2) + (c == 0 ? endpointsPerService % 2 : 0);
                var endpoints = ImmutableArray.CreateBuilder<EndpointInfo>(count);
                for (var e = 0; e < count; e++)
                {
                    var address = Address(c, i, e);
                    endpoints.Add(new EndpointInfo([address], headless ? $"{name}-{e}" : null, Ready: true));
                }

                slices[c] = new EndpointSliceInfo(ns, $"{name}-{cluster}", name, cluster, AddressFamily.InterNetwork, [.. ports], endpoints.MoveToImmutable());
            }

            yield return (service, slices);
        }
    }

    private static IPAddress Address(int cluster, int service, int endpoint)
    {
        // 10.<cluster+1><...>: unique per (cluster, service, endpoint) for up to 2^20 services x 8 endpoints.
        return V4((10u << 24) | ((uint)(cluster + 1) << 22) | (((uint)service & 0x3FFFF) << 4) | ((uint)endpoint & 0xF));
    }

    private static IPAddress V4(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
