using DnsMcs.Controller.Sync;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller;

/// <summary>The entry point of <c>dnsmcs controller</c>.</summary>
public static class ControllerRunner
{
    /// <summary>Runs the MCS sync controller until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(ControllerSettings settings, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        using var controller = new SyncController(settings, loggerFactory);
        await controller.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
