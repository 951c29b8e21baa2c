namespace DnsMcs.Kubernetes.Models;

/// <summary>about.k8s.io ClusterProperty (KEP-2149); "id.k8s.io" names this cluster.</summary>
public sealed class ClusterProperty : KubernetesObject
{
    public ClusterPropertySpec? Spec { get; set; }
}

public sealed class ClusterPropertySpec
{
    public string? Value { get; set; }
}
