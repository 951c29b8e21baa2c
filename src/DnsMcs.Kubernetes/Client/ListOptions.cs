namespace DnsMcs.Kubernetes.Client;

/// <summary>Filters and paging for list and watch requests.</summary>
public sealed record ListOptions
{
    /// <summary>Namespace to read; null for all namespaces (or a cluster-scoped resource).</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size of a list; 0 for no paging.</summary>
    public int Limit { get; init; } = 500;
}
