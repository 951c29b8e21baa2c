using System.Text.Json.Nodes;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>Objects to create in the fake API server, as the JSON kubectl would send.</summary>
internal static class KubeObjects
{
    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    public static JsonObject ServiceImport(string name, string[] ips, string type = "ClusterSetIP", string ns = "shop", string version = "v1alpha1") => new()
    {
        ["apiVersion"] = $"multicluster.x-k8s.io/{version}",
        ["kind"] = "ServiceImport",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["type"] = type,
            ["ips"] = new JsonArray([.. ips.Select(ip => (JsonNode?)JsonValue.Create(ip))]),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = 80 }),
        },
    };

    public static Endpoint Ep(string address, string? hostname = null, bool? ready = true) => new(address, hostname, ready);

    /// <summary>An MCS EndpointSlice (distributed mode), labelled with its ServiceImport and source cluster.</summary>
    public static JsonObject McsSlice(string name, string service, string cluster, params Endpoint[] endpoints) =>
        Slice(name, "shop", new JsonObject
        {
            ["multicluster.kubernetes.io/service-name"] = service,
            ["multicluster.kubernetes.io/source-cluster"] = cluster,
        }, endpoints);

    /// <summary>A Service's own EndpointSlice (what the EndpointSlice controller writes; centralized mode).</summary>
    public static JsonObject ServiceSlice(string name, string service, params Endpoint[] endpoints) =>
        Slice(name, "shop", new JsonObject { ["kubernetes.io/service-name"] = service }, endpoints);

    /// <summary>A Service; <paramref name="clusterIps"/> ["None"] makes it headless.</summary>
    public static JsonObject Service(string name, string[] clusterIps, string ns = "shop", string type = "ClusterIP", int port = 80)
    {
        var spec = new JsonObject
        {
            ["type"] = type,
            ["clusterIP"] = clusterIps[0],
            ["clusterIPs"] = new JsonArray([.. clusterIps.Select(ip => (JsonNode?)JsonValue.Create(ip))]),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = port }),
        };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    public static JsonObject ServiceExport(string name, string ns = "shop") => new()
    {
        ["apiVersion"] = "multicluster.x-k8s.io/v1alpha1",
        ["kind"] = "ServiceExport",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
    };

    private static JsonObject Slice(string name, string ns, JsonObject labels, Endpoint[] endpoints)
    {
        var family = endpoints.Length > 0 && endpoints[0].Address.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4";
        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
            ["addressType"] = family,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = 8080 }),
            ["endpoints"] = new JsonArray([.. endpoints.Select(e => (JsonNode?)e.ToJson())]),
        };
    }

    /// <summary>One endpoint of a slice; <see cref="Ready"/> null leaves conditions.ready out (which counts as ready).</summary>
    internal sealed record Endpoint(string Address, string? Hostname = null, bool? Ready = true)
    {
        public JsonObject ToJson()
        {
            var json = new JsonObject { ["addresses"] = new JsonArray(Address) };
            if (Hostname is not null)
            {
                json["hostname"] = Hostname;
            }

            json["conditions"] = Ready is { } ready ? new JsonObject { ["ready"] = ready } : new JsonObject();
            return json;
        }
    }
}
