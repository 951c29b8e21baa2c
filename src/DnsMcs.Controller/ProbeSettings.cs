using DnsMcs.Controller.Probing;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Controller;

/// <summary>Everything <c>dnsmcs probe</c> is told: the member it runs in and the probing schedule.</summary>
public sealed record ProbeSettings
{
    /// <summary>Kubeconfig of the member; null for the in-cluster service account (else the default kubeconfig).</summary>
    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }

    /// <summary>Wins over the kubeconfig when set.</summary>
    public KubernetesClientConfiguration? Configuration { get; init; }

    /// <summary>This member's cluster id: its own endpoints (source-cluster = this) are local and not probed.</summary>
    public string? LocalCluster { get; init; }

    /// <summary>Only ServiceImports of this namespace; null for all.</summary>
    public string? Namespace { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed probes before an address is reported disconnected.</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>Consecutive successful probes before a disconnected address is taken back.</summary>
    public int SuccessThreshold { get; init; } = 1;

    /// <summary>Probes in flight at once.</summary>
    public int Concurrency { get; init; } = 64;

    public IEndpointDialer Dialer { get; init; } = new TcpEndpointDialer();

    public ResourceWatcherOptions? WatcherOptions { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal KubernetesClientConfiguration Load() =>
        Configuration
        ?? (string.IsNullOrEmpty(Kubeconfig) && InClusterConfiguration.IsAvailable() ? InClusterConfiguration.Load() : KubeConfigLoader.Load(Kubeconfig, Context));
}
