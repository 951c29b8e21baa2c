using System.Text.Json.Serialization;

namespace DnsMcs.Kubernetes.Models;

/// <summary>A list response: items plus list metadata (resourceVersion, continue).</summary>
public sealed class KubernetesList<T>
    where T : KubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}

/// <summary>metav1.Status, returned on errors and as the object of a watch ERROR event.</summary>
public sealed class Status
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    [JsonPropertyName("status")]
    public string? Outcome { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public int? Code { get; set; }
}
