namespace DnsMcs.Controller;

/// <summary>
/// What the controller reports as it works, for metrics: each reconcile's outcome, leadership, and the work
/// queue's depth. The controller knows nothing of Prometheus; the host turns these into dnsmcs_controller_*.
/// </summary>
public interface IControllerObserver
{
    /// <summary>A reconcile finished: <paramref name="changed"/> when it wrote something.</summary>
    void Reconciled(bool changed);

    /// <summary>A reconcile failed and its key was queued again with backoff.</summary>
    void ReconcileFailed();

    /// <summary>This instance became leader, or stopped being one.</summary>
    void LeadershipChanged(bool leading);

    /// <summary>Where to read the queue depth from, given once when the controller starts.</summary>
    void QueueDepthFrom(Func<int> depth);
}
