namespace DnsMcs.Kubernetes.Credentials;

/// <summary>A kubeconfig "exec" user: the plugin to run and what to tell it.</summary>
public sealed class ExecPluginSettings
{
    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>client.authentication.k8s.io/v1 or v1beta1.</summary>
    public string ApiVersion { get; init; } = ExecCredentialProvider.V1;

    public string? InstallHint { get; init; }

    /// <summary>The cluster passed in spec.cluster when provideClusterInfo is set.</summary>
    public Uri? ClusterServer { get; init; }

    public string? ClusterCertificateAuthorityData { get; init; }

    public bool ProvideClusterInfo { get; init; }

    public string? WorkingDirectory { get; init; }
}
