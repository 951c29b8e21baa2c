using System.Text.Json;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Sources;
using DnsMcs.Zone.Model;

namespace DnsMcs.Tests.Sources;

/// <summary>Builds Kubernetes objects from compact JSON (single quotes for double) and prints zone models as one line.</summary>
internal static class TranslatorFixtures
{
    public static KubernetesObject Object(string kind, string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json.Replace('\'', '"'));
        KubernetesObject? obj = kind switch
        {
            "ServiceImport" => JsonSerializer.Deserialize(bytes, KubernetesJsonContext.Default.ServiceImport),
            "EndpointSlice" => JsonSerializer.Deserialize(bytes, KubernetesJsonContext.Default.EndpointSlice),
            "Namespace" => JsonSerializer.Deserialize(bytes, KubernetesJsonContext.Default.Namespace),
            "ClusterProperty" => JsonSerializer.Deserialize(bytes, KubernetesJsonContext.Default.ClusterProperty),
            "Service" => JsonSerializer.Deserialize(bytes, KubernetesJsonContext.Default.Service),
            _ => throw new ArgumentException($"no fixture for {kind}", nameof(kind)),
        };
        return obj ?? throw new ArgumentException("null object", nameof(json));
    }

    /// <summary>A ServiceImport shop/web (v1alpha1) with the given spec.</summary>
    public static KubernetesObject Import(string spec, string metadata = "{'name':'web','namespace':'shop'}", string apiVersion = "multicluster.x-k8s.io/v1alpha1") =>
        Object("ServiceImport", $"{{'apiVersion':'{apiVersion}','kind':'ServiceImport','metadata':{metadata},'spec':{spec}}}");

    /// <summary>An EndpointSlice shop/web-a for service web with the given labels (beyond service-name), address type, endpoints and ports.</summary>
    public static KubernetesObject Slice(string endpoints, string addressType = "IPv4", string extraLabels = "", string ports = "[]", string serviceName = "web", string apiVersion = "discovery.k8s.io/v1")
    {
        var labels = $"'multicluster.kubernetes.io/service-name':'{serviceName}'" + (extraLabels.Length > 0 ? "," + extraLabels : string.Empty);
        return Object("EndpointSlice", $"{{'apiVersion':'{apiVersion}','kind':'EndpointSlice','metadata':{{'name':'web-a','namespace':'shop','labels':{{{labels}}}}},'addressType':'{addressType}','endpoints':{endpoints},'ports':{ports}}}");
    }

    public static string Describe(ClusterSetObject obj) => obj switch
    {
        ServiceObject s => Describe(s.Service),
        EndpointSliceObject e => Describe(e.Slice),
        NamespaceObject n => $"Namespace {n.Name}",
        LocalClusterIdObject c => $"LocalClusterId {c.ClusterId}",
        _ => obj.ToString(),
    };

    public static string Describe(ServiceInfo s) =>
        $"{s.Namespace}/{s.Name} {s.Type} ips=[{string.Join(",", s.Ips)}] ports=[{string.Join(",", s.Ports.Select(Describe))}]";

    public static string Describe(EndpointSliceInfo e) =>
        $"{e.Namespace}/{e.Name} svc={e.ServiceName} cluster={e.ClusterId ?? "(local)"} {e.AddressFamily} ports=[{string.Join(",", e.Ports.Select(Describe))}] "
        + $"endpoints=[{string.Join(";", e.Endpoints.Select(ep => $"{string.Join(",", ep.Addresses)} {ep.Hostname ?? "-"} {(ep.Ready ? "ready" : "not-ready")}"))}]";

    private static string Describe(PortInfo p) => $"{p.Name ?? "-"}/{p.Protocol}/{p.Port}";
}
