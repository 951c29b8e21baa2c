using System.Security.Cryptography.X509Certificates;

namespace DnsMcs.Kubernetes.Credentials;

/// <summary>A bearer token, a client certificate, both or neither.</summary>
public sealed record KubernetesCredentials(string? BearerToken, X509Certificate2? ClientCertificate)
{
    public static KubernetesCredentials None { get; } = new(null, null);
}
