using System.Text.Json.Nodes;

namespace DnsMcs.Kubernetes.Tests.Support;

/// <summary>Objects to seed the fake API server with, as the JSON a client would send.</summary>
internal static class Objects
{
    public static JsonObject ServiceImport(string ns, string name, string type = "ClusterSetIP", Dictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }

        return new JsonObject
        {
            ["apiVersion"] = "multicluster.x-k8s.io/v1alpha1",
            ["kind"] = "ServiceImport",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["type"] = type,
                ["ips"] = new JsonArray("10.0.0.1"),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = 80 }),
            },
        };
    }

    public static JsonObject Namespace(string name) => new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
}
