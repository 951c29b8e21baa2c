using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DnsMcs.Metrics;

/// <summary>The metrics of one reconciler (e.g. "serviceexport-serviceimport"); obtain from <see cref="DnsMcsMetrics.ForController"/>.</summary>
internal sealed class ControllerMetrics
{
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _errors;
    private readonly Func<int>? _queueDepth;
    private volatile bool _leader;

    internal ControllerMetrics(string controller, Counter<long> reconciles, Counter<long> errors, Func<int>? queueDepth)
    {
        Controller = controller;
        _reconciles = reconciles;
        _errors = errors;
        _queueDepth = queueDepth;
    }

    public string Controller { get; }

    public bool IsLeader => _leader;

    internal int QueueDepth => _queueDepth?.Invoke() ?? 0;

    public void Reconciled(ReconcileResult result) =>
        _reconciles.Add(1, new TagList { { "controller", Controller }, { "result", SourceMetricLabels.Result(result) } });

    /// <summary>An error outside a reconcile's own result: a failed API write, a lost lease, a broken watch.</summary>
    public void Error() => _errors.Add(1, new KeyValuePair<string, object?>("controller", Controller));

    public void SetLeader(bool leader) => _leader = leader;
}
