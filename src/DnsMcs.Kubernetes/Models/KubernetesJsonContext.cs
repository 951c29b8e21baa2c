using System.Text.Json.Serialization;

namespace DnsMcs.Kubernetes.Models;

/// <summary>Source-generated JSON metadata for every object we read or write: each event is parsed once, without reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ServiceImport))]
[JsonSerializable(typeof(EndpointSlice))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(ClusterProperty))]
[JsonSerializable(typeof(ServiceExport))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubernetesList<ServiceImport>))]
[JsonSerializable(typeof(KubernetesList<EndpointSlice>))]
[JsonSerializable(typeof(KubernetesList<Namespace>))]
[JsonSerializable(typeof(KubernetesList<ClusterProperty>))]
[JsonSerializable(typeof(KubernetesList<ServiceExport>))]
[JsonSerializable(typeof(KubernetesList<Service>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubernetesList<Lease>))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubernetesList<Event>))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext
{
}
