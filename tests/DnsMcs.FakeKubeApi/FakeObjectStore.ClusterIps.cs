using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// The service IP allocator of a real server, opt-in so that existing tests see objects exactly as
/// they wrote them: a created Service of type ClusterIP/NodePort/LoadBalancer without spec.clusterIP
/// gets the next address of 10.96.0.0/16 in clusterIP and clusterIPs.
/// </summary>
public sealed partial class FakeObjectStore
{
    private int _nextClusterIp = 10;

    /// <summary>Whether created Services get a ClusterIP (as the real API server allocates one).</summary>
    public bool AllocateClusterIPs { get; set; }

    private void AllocateClusterIp(FakeResource resource, JsonObject stored)
    {
        if (!AllocateClusterIPs || resource.Plural != "services" || resource.Group.Length != 0 || stored["spec"] is not JsonObject spec)
        {
            return;
        }

        var type = spec["type"]?.GetValue<string>() ?? "ClusterIP";
        if (type == "ExternalName" || spec["clusterIP"] is not null)
        {
            return;
        }

        var n = _nextClusterIp++;
        var ip = $"10.96.{(n >> 8) & 0xFF}.{n & 0xFF}";
        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
        spec["type"] = type;
    }
}
