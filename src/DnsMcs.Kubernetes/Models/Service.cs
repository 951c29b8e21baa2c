namespace DnsMcs.Kubernetes.Models;

/// <summary>core/v1 Service, the fields export and DNS use.</summary>
public sealed class Service : KubernetesObject
{
    public ServiceSpec? Spec { get; set; }
}

public sealed class ServiceSpec
{
    /// <summary>"ClusterIP", "NodePort", "LoadBalancer" or "ExternalName".</summary>
    public string? Type { get; set; }

    /// <summary>"None" for a headless service.</summary>
    public string? ClusterIP { get; set; }

    public List<string>? ClusterIPs { get; set; }

    public List<string>? IpFamilies { get; set; }

    public string? IpFamilyPolicy { get; set; }

    public List<ServicePort>? Ports { get; set; }

    public Dictionary<string, string>? Selector { get; set; }

    public string? SessionAffinity { get; set; }

    public string? ExternalName { get; set; }
}
