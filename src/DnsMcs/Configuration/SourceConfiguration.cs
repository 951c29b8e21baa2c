namespace DnsMcs.Configuration;

internal enum SourceKind
{
    /// <summary>A folder of YAML/JSON manifests (<c>manifests DIR</c>).</summary>
    Manifests,

    /// <summary>The local cluster, distributed mode (<c>kubeconfig [PATH [CONTEXT]]</c>; no path = in-cluster).</summary>
    Kubernetes,

    /// <summary>One member cluster, centralized mode (<c>member NAME KUBECONFIG [CONTEXT]</c>).</summary>
    Member,
}

/// <summary>
/// One source of ServiceImports and EndpointSlices. <see cref="Name"/> is the bounded <c>source</c> label of the
/// source metrics and the name /ready reports; <see cref="Path"/> is absolute, or null for in-cluster credentials.
/// </summary>
internal sealed record SourceConfiguration(SourceKind Kind, string Name, string? Path, string? Context = null)
{
    public const string ManifestsName = "manifests";
    public const string KubernetesName = "kubernetes";
}
