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
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(configuration, certificate as X509Certificate2, errors),

                // The certificate can change (an exec plugin's answer): choose it per connection.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate()!,
            };
        }

        return handler;
    }

    private static bool Validate(KubernetesClientConfiguration configuration, X509Certificate2? certificate, SslPolicyErrors errors)
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

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        return chain.Build(certificate);
    }
}
