namespace DnsMcs.Kubernetes.Models;

/// <summary>core/v1 Namespace: only its name matters to DNS.</summary>
public sealed class Namespace : KubernetesObject
{
}
