using System.Security.Cryptography.X509Certificates;
using DnsMcs.Kubernetes.Credentials;

namespace DnsMcs.Kubernetes.Configuration;

/// <summary>Everything needed to talk to one API server: where it is, how to trust it, who we are.</summary>
public sealed class KubernetesClientConfiguration
{
    public required Uri Server { get; init; }

    /// <summary>Roots that the server certificate must chain to; null means the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to check the server certificate against instead of the server URL's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>kubeconfig proxy-url; when null the HTTPS_PROXY/NO_PROXY environment applies, as with kubectl.</summary>
    public Uri? ProxyUrl { get; init; }

    public ICredentialProvider Credentials { get; init; } = AnonymousCredentialProvider.Instance;

    /// <summary>The context's default namespace (or the service account's), for callers that want one.</summary>
    public string? Namespace { get; init; }

    /// <summary>The kubeconfig context this came from, or "in-cluster"; for logs.</summary>
    public string? ContextName { get; init; }
}
