using DnsMcs.Controller;

namespace DnsMcs.Metrics;

/// <summary>The controller's reports as dnsmcs_controller_* metrics (reconciles by result, errors, queue depth, leadership).</summary>
internal sealed class ControllerMetricsObserver : IControllerObserver
{
    private readonly ControllerMetrics _metrics;
    private Func<int>? _depth;

    public ControllerMetricsObserver(DnsMcsMetrics metrics, string controller)
    {
        _metrics = metrics.ForController(controller, () => Volatile.Read(ref _depth)?.Invoke() ?? 0);
    }

    public void Reconciled(bool changed) => _metrics.Reconciled(changed ? ReconcileResult.Success : ReconcileResult.Unchanged);

    public void ReconcileFailed()
    {
        _metrics.Reconciled(ReconcileResult.Error);
        _metrics.Error();
    }

    public void LeadershipChanged(bool leading) => _metrics.SetLeader(leading);

    public void QueueDepthFrom(Func<int> depth) => Volatile.Write(ref _depth, depth);
}
