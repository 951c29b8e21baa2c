namespace DnsMcs.Kubernetes.Models;

/// <summary>discovery.k8s.io/v1 EndpointSlice.</summary>
public sealed class EndpointSlice : KubernetesObject
{
    /// <summary>"IPv4", "IPv6" or "FQDN".</summary>
    public string? AddressType { get; set; }

    public List<Endpoint>? Endpoints { get; set; }

    public List<EndpointPort>? Ports { get; set; }
}

public sealed class Endpoint
{
    public List<string>? Addresses { get; set; }

    public EndpointConditions? Conditions { get; set; }

    public string? Hostname { get; set; }

    public string? NodeName { get; set; }

    public string? Zone { get; set; }

    public ObjectReference? TargetRef { get; set; }
}

public sealed class EndpointConditions
{
    public bool? Ready { get; set; }

    public bool? Serving { get; set; }

    public bool? Terminating { get; set; }
}

public sealed class EndpointPort
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public int? Port { get; set; }

    public string? AppProtocol { get; set; }
}

public sealed class ObjectReference
{
    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }
}
