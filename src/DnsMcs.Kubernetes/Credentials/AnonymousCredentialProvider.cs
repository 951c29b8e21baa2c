namespace DnsMcs.Kubernetes.Credentials;

public sealed class AnonymousCredentialProvider : ICredentialProvider
{
    public static AnonymousCredentialProvider Instance { get; } = new();

    public ValueTask<KubernetesCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(KubernetesCredentials.None);

    public bool Invalidate(KubernetesCredentials rejected) => false;
}
