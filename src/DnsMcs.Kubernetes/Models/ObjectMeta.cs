namespace DnsMcs.Kubernetes.Models;

/// <summary>The metadata fields DnsMcs reads or writes; everything else is ignored on read.</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public long? Generation { get; set; }

    public DateTimeOffset? CreationTimestamp { get; set; }

    public DateTimeOffset? DeletionTimestamp { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }
}

public sealed class OwnerReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public bool? Controller { get; set; }

    public bool? BlockOwnerDeletion { get; set; }
}

/// <summary>List metadata: the resourceVersion to watch from and the continue token of a paged list.</summary>
public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }

    public string? Continue { get; set; }

    public long? RemainingItemCount { get; set; }
}

/// <summary>A standard metav1.Condition.</summary>
public sealed class Condition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public long? ObservedGeneration { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
