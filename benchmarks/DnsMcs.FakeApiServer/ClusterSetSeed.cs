using System.Globalization;
using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;

namespace DnsMcs.FakeApiServer;

/// <summary>
/// The objects the benchmark serves, in the shapes a real API server accepts (the fake checks them against the CRDs
/// and the built-in schemas): 50 services per namespace, each exported from two clusters (one EndpointSlice each);
/// four in five ClusterSetIP with a VIP, one in five headless with StatefulSet-style hostnames (as the in-process
/// SyntheticClusterSet, so B/endpoint figures compare).
/// </summary>
internal static class ClusterSetSeed
{
    public const int ServicesPerNamespace = 50;

    public static readonly string[] Clusters = ["cluster-a", "cluster-b"];

    public static string Namespace(int service) => "ns-" + Text(service / ServicesPerNamespace);

    public static string ServiceName(int service) => "svc-" + Text(service);

    public static string SliceName(int service, int cluster) => $"{ServiceName(service)}-{Clusters[cluster]}";

    public static bool IsHeadless(int service) => service % 5 == 4;

    public static int EndpointsIn(int cluster, int endpointsPerService) => (endpointsPerService / 2) + (cluster == 0 ? endpointsPerService % 2 : 0);

    /// <summary>Creates the namespaces first (the fake, as a real server, refuses objects in a missing one), then everything else.</summary>
    public static void Seed(FakeObjectStore store, int services, int endpointsPerService)
    {
        for (var ns = 0; ns * ServicesPerNamespace < services; ns++)
        {
            store.EnsureNamespace(Namespace(ns * ServicesPerNamespace));
        }

        for (var i = 0; i < services; i++)
        {
            store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport(i));
            for (var c = 0; c < Clusters.Length; c++)
            {
                store.Create(FakeResource.EndpointSlices, Slice(i, c, endpointsPerService, moved: -1));
            }
        }
    }

    public static JsonObject ServiceImport(int i)
    {
        var spec = new JsonObject
        {
            ["type"] = IsHeadless(i) ? "Headless" : "ClusterSetIP",
            ["ports"] = new JsonArray(Port("http", 80), Port("metrics", 9090)),
        };
        if (!IsHeadless(i))
        {
            spec["ips"] = new JsonArray(V4(0x0A600000u + (uint)i));
        }

        return new JsonObject
        {
            ["apiVersion"] = "multicluster.x-k8s.io/v1alpha1",
            ["kind"] = "ServiceImport",
            ["metadata"] = new JsonObject { ["name"] = ServiceName(i), ["namespace"] = Namespace(i) },
            ["spec"] = spec,
        };
    }

    /// <summary>One cluster's slice of service <paramref name="i"/>; <paramref name="moved"/> &gt;= 0 gives endpoint 0 the address <see cref="MovedAddress"/>.</summary>
    public static JsonObject Slice(int i, int cluster, int endpointsPerService, int moved) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject
        {
            ["name"] = SliceName(i, cluster),
            ["namespace"] = Namespace(i),
            ["labels"] = new JsonObject
            {
                ["multicluster.kubernetes.io/service-name"] = ServiceName(i),
                ["multicluster.kubernetes.io/source-cluster"] = Clusters[cluster],
                ["endpointslice.kubernetes.io/managed-by"] = "dnsmcs-controller",
            },
        },
        ["addressType"] = "IPv4",
        ["ports"] = new JsonArray(Port("http", 8080), Port("metrics", 9090)),
        ["endpoints"] = Endpoints(i, cluster, endpointsPerService, moved),
    };

    public static JsonArray Endpoints(int i, int cluster, int endpointsPerService, int moved)
    {
        var endpoints = new JsonArray();
        for (var e = 0; e < EndpointsIn(cluster, endpointsPerService); e++)
        {
            var endpoint = new JsonObject
            {
                ["addresses"] = new JsonArray(e == 0 && moved >= 0 ? MovedAddress(moved) : V4(Address(cluster, i, e))),
                ["conditions"] = new JsonObject { ["ready"] = true, ["serving"] = true, ["terminating"] = false },
                ["nodeName"] = "node-" + Text(e % 3),
                ["zone"] = "zone-" + Text(e % 3),
            };
            if (IsHeadless(i))
            {
                endpoint["hostname"] = $"{ServiceName(i)}-{Text(e)}";
            }

            endpoints.Add(endpoint);
        }

        return endpoints;
    }

    /// <summary>The address the <paramref name="update"/>-th update moves an endpoint to: 172.16.0.0/12, unique per update.</summary>
    public static string MovedAddress(int update) => V4(0xAC100000u + (uint)update);

    private static uint Address(int cluster, int service, int endpoint) =>
        (10u << 24) | ((uint)(cluster + 1) << 22) | (((uint)service & 0x3FFFF) << 4) | ((uint)endpoint & 0xF);

    private static JsonObject Port(string name, int port) => new() { ["name"] = name, ["protocol"] = "TCP", ["port"] = port };

    private static string V4(uint value) => string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
