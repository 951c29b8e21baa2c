using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DnsMcs.Kubernetes.Configuration;

namespace DnsMcs.Kubernetes.Client;

/// <summary>Builds the SocketsHttpHandler for one API server with its TLS rules.</summary>
internal static class HttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubernetesClientConfiguration configuration, Func<X509Certificate2?> clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),

            // Re-resolve the server name now and then (a load balancer's addresses change).
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip,
            UseCookies = false,
        };

        // Like kubectl: an explicit proxy-url, else the environment's proxy, never for loopback.
        if (configuration.ProxyUrl is { } proxy)
        {
            handler.Proxy = new System.Net.WebProxy(proxy);
        }
        else if (configuration.Server.IsLoopback)
        {
            handler.UseProxy = false;
        }

        if (string.Equals(configuration.Server.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Validate(configuration, certificate as X509Certificate2, chain, errors),

                // The certificate can change (an exec plugin's answer): choose it per connection.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate()!,
            };
        }

        return handler;
    }

    private static bool Validate(KubernetesClientConfiguration configuration, X509Certificate2? certificate, X509Chain? sent, SslPolicyErrors errors)
    {
        if (configuration.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        // tls-server-name replaces the URL host in the name check (servers reached by IP or through a tunnel).
        if (configuration.TlsServerName is { } name)
        {
            if (!certificate.MatchesHostname(name, allowWildcards: true, allowCommonName: false))
            {
                return false;
            }
        }
        else if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        if (configuration.CertificateAuthorities is not { Count: > 0 } roots)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0 && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0;
        }

        // As kubectl (Go's crypto/tls): the kubeconfig's CA is the only root, and the intermediates the
        // server sent with its certificate may link the leaf to it. They are untrusted material for
        // building the path, never roots, so a certificate chaining to another root is still refused.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
            foreach (var element in sent.ChainElements)
            {
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }

        return chain.Build(certificate);
    }
}
