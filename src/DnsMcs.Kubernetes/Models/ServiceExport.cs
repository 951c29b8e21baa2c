namespace DnsMcs.Kubernetes.Models;

/// <summary>multicluster.x-k8s.io ServiceExport.</summary>
public sealed class ServiceExport : KubernetesObject
{
    public ServiceExportStatus? Status { get; set; }
}

public sealed class ServiceExportStatus
{
    public List<Condition>? Conditions { get; set; }
}
