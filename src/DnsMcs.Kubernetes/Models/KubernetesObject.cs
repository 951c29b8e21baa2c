using System.Text.Json.Serialization;

namespace DnsMcs.Kubernetes.Models;

/// <summary>Fields every object has: apiVersion, kind, metadata.</summary>
public abstract class KubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>"namespace/name", or "name" for cluster-scoped objects.</summary>
    /// <remarks>Computed, not an API field: never serialized (server-side apply refuses a field outside the schema with a 500).</remarks>
    [JsonIgnore]
    public string Key => string.IsNullOrEmpty(Metadata.Namespace) ? Metadata.Name ?? string.Empty : $"{Metadata.Namespace}/{Metadata.Name}";
}
