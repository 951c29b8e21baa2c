namespace DnsMcs.Kubernetes.Client;

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
