using System.Text.Json.Serialization;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>The object of a BOOKMARK event: only metadata (resourceVersion, annotations) is meaningful.</summary>
internal sealed class ObjectSkeleton : KubernetesObject
{
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ObjectSkeleton))]
[JsonSerializable(typeof(ApiResourceList))]
internal sealed partial class ClientJsonContext : JsonSerializerContext
{
}
