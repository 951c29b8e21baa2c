namespace DnsMcs.Kubernetes.Credentials;

/// <summary>Supplies the credentials for each request; may cache, re-read or re-run a plugin.</summary>
public interface ICredentialProvider
{
    ValueTask<KubernetesCredentials> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called after the server answered 401 with <paramref name="rejected"/>. Returns true when a
    /// retry may succeed (a token file or plugin can give something new), false when it cannot.
    /// </summary>
    bool Invalidate(KubernetesCredentials rejected);
}
