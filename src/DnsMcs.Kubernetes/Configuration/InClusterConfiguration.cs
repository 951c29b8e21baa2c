using System.Net.Sockets;
using DnsMcs.Kubernetes.Credentials;

namespace DnsMcs.Kubernetes.Configuration;

/// <summary>The pod's service account: token (rotated by kubelet), CA, namespace, and the API server from the environment.</summary>
public static class InClusterConfiguration
{
    public const string DefaultServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_PORT"));
    }

    /// <param name="serviceAccountPath">Folder holding token, ca.crt and namespace; overridable for tests.</param>
    public static KubernetesClientConfiguration Load(string serviceAccountPath = DefaultServiceAccountPath, Func<string, string?>? environment = null, TimeSpan? tokenRefreshInterval = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        // An IPv6 service host goes in brackets in the URL (client-go uses net.JoinHostPort).
        if (System.Net.IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            host = $"[{host}]";
        }

        if (!Uri.TryCreate($"https://{host}:{port}", UriKind.Absolute, out var server))
        {
            throw new KubeConfigException($"KUBERNETES_SERVICE_HOST/PORT {host}:{port} do not form a URL");
        }

        var tokenPath = Path.Combine(serviceAccountPath, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException($"service account token {tokenPath} does not exist");
        }

        var caPath = Path.Combine(serviceAccountPath, "ca.crt");
        var namespacePath = Path.Combine(serviceAccountPath, "namespace");
        return new KubernetesClientConfiguration
        {
            Server = server,
            CertificateAuthorities = File.Exists(caPath) ? PemCertificates.LoadAuthorities(File.ReadAllText(caPath)) : null,
            Credentials = new TokenFileCredentialProvider(tokenPath) { RefreshInterval = tokenRefreshInterval ?? TimeSpan.FromMinutes(1) },
            Namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default",
            ContextName = "in-cluster",
        };
    }
}
