namespace DnsMcs.Sources.Kubernetes;

/// <summary>Where the cluster is: a kubeconfig (and context), or the in-cluster service account when neither is given.</summary>
internal sealed record KubernetesSourceOptions
{
    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }

    /// <summary>Opt in to the streaming list (sendInitialEvents) of Kubernetes 1.32+; falls back to list+watch.</summary>
    public bool StreamingList { get; init; }
}
