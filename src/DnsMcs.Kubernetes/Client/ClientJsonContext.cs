using System.Text.Json.Serialization;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>The object of a BOOKMARK event: only metadata (resourceVersion, annotations) is meaningful.</summary>
internal sealed class ObjectSkeleton : KubernetesObject
{
}

/// <summary>Discovery: GET /apis/GROUP/VERSION.</summary>
public sealed class ApiResourceList
{
    public string? GroupVersion { get; set; }

    public List<ApiResource> Resources { get; set; } = [];
}

public sealed class ApiResource
{
    public string? Name { get; set; }

    public string? Kind { get; set; }

    public bool Namespaced { get; set; }

    public List<string>? Verbs { get; set; }
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
