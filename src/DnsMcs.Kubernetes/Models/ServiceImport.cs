namespace DnsMcs.Kubernetes.Models;

/// <summary>multicluster.x-k8s.io ServiceImport, v1alpha1 or v1beta1 (the fields both share).</summary>
public sealed class ServiceImport : KubernetesObject
{
    public ServiceImportSpec? Spec { get; set; }

    public ServiceImportStatus? Status { get; set; }
}

public sealed class ServiceImportSpec
{
    /// <summary>"ClusterSetIP" or "Headless".</summary>
    public string? Type { get; set; }

    public List<string>? Ips { get; set; }

    public List<ServicePort>? Ports { get; set; }

    public string? SessionAffinity { get; set; }

    public List<string>? IpFamilies { get; set; }
}

public sealed class ServiceImportStatus
{
    public List<ClusterStatus>? Clusters { get; set; }
}

public sealed class ClusterStatus
{
    public string? Cluster { get; set; }
}
