using DnsMcs.Http;

namespace DnsMcs.Cli;

/// <summary>
/// /ready for <c>controller</c> and <c>probe</c>: 200 once the runner has started (its configuration loaded), 503 before
/// and from the start of shutdown, and 503 naming each problem while the runner reports any (a Lease namespace missing,
/// a CRD not served, a verb RBAC forbids). Standby controller replicas are ready too: readiness is not leadership.
/// </summary>
internal sealed class RunnerReadiness(Func<IReadOnlyList<string>>? problems = null) : IReadinessProvider
{
    private volatile bool _running;

    public bool Running
    {
        get => _running;
        set => _running = value;
    }

    public ReadinessReport Check()
    {
        if (!_running)
        {
            return ReadinessReport.NotReady("not running");
        }

        return problems?.Invoke() is { Count: > 0 } current ? ReadinessReport.NotReady(string.Join("; ", current)) : ReadinessReport.Ready;
    }
}
