using DnsMcs.Controller.Probing;
using DnsMcs.Kubernetes.Client;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller;

/// <summary>The entry point of <c>dnsmcs probe</c>.</summary>
public static class ProbeRunner
{
    /// <summary>Probes the member's remote MCS endpoints until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(ProbeSettings settings, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        using var client = new KubernetesClient(settings.Load()) { RequestTimeout = settings.RequestTimeout };
        var prober = new EndpointProber(settings, client, loggerFactory.CreateLogger("DnsMcs.Probe"));
        await prober.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
