using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Configuration;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Kubernetes;

/// <summary>Builds a client the way kubectl finds its cluster: explicit kubeconfig, KUBECONFIG/~/.kube/config, else in-cluster.</summary>
internal static class KubernetesConnection
{
    public static KubernetesClient Create(string? kubeconfig, string? context, ILoggerFactory loggers)
    {
        KubernetesClientConfiguration configuration;
        if (kubeconfig is null && context is null && !KubeConfigLoader.IsAvailable() && InClusterConfiguration.IsAvailable())
        {
            configuration = InClusterConfiguration.Load();
        }
        else
        {
            configuration = KubeConfigLoader.Load(kubeconfig, context);
        }

        return new KubernetesClient(configuration, loggers.CreateLogger<KubernetesClient>());
    }
}
