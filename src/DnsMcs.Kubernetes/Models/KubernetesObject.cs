namespace DnsMcs.Kubernetes.Models;

/// <summary>Fields every object has: apiVersion, kind, metadata.</summary>
public abstract class KubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>"namespace/name", or "name" for cluster-scoped objects.</summary>
    public string Key => string.IsNullOrEmpty(Metadata.Namespace) ? Metadata.Name ?? string.Empty : $"{Metadata.Namespace}/{Metadata.Name}";
}
