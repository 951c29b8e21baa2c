namespace DnsMcs.Kubernetes.Credentials;

/// <summary>A token and/or client certificate written in the kubeconfig itself: nothing to refresh.</summary>
public sealed class StaticCredentialProvider(KubernetesCredentials credentials) : ICredentialProvider
{
    public ValueTask<KubernetesCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);

    public bool Invalidate(KubernetesCredentials rejected) => false;
}
