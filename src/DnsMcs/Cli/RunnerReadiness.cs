using DnsMcs.Http;

namespace DnsMcs.Cli;

/// <summary>
/// /ready for <c>controller</c> and <c>probe</c>: 200 once the runner has started (its configuration loaded), 503 before
/// and from the start of shutdown. Standby controller replicas are ready too: readiness is not leadership.
/// </summary>
internal sealed class RunnerReadiness : IReadinessProvider
{
    private volatile bool _running;

    public bool Running
    {
        get => _running;
        set => _running = value;
    }

    public ReadinessReport Check() => _running ? ReadinessReport.Ready : ReadinessReport.NotReady("not running");
}
