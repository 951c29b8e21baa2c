using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DnsMcs.Zone.Faults;

namespace DnsMcs.Metrics;

/// <summary>
/// DnsMcs's own metrics (<c>dnsmcs_*</c>): the index size, each source's watch health and sync state, how long
/// a change takes to become servable, and the controller's work. Gauges are read through callbacks at scrape time.
/// </summary>
internal sealed class DnsMcsMetrics : IDisposable
{
    public const string MeterName = "DnsMcs";

    private readonly ConcurrentDictionary<string, SourceMetrics> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ControllerMetrics> _controllers = new(StringComparer.Ordinal);
    private readonly Counter<long> _events;
    private readonly Counter<long> _relists;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _sourceErrors;
    private readonly Histogram<double> _programming;
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _controllerErrors;
    private Func<IndexCounts>? _indexCounts;
    private Func<IndexRejectionReason, long>? _indexRejections;

    public DnsMcsMetrics()
    {
        Meter = new Meter(MeterName);
        Meter.CreateObservableGauge("dnsmcs_index_services", () => ReadIndex(c => c.Services), null, "Services in the answer index.");
        Meter.CreateObservableGauge("dnsmcs_index_endpoints", () => ReadIndex(c => c.Endpoints), null, "Endpoint addresses in the answer index.");
        Meter.CreateObservableGauge("dnsmcs_index_clusters", () => ReadIndex(c => c.Clusters), null, "Distinct source clusters in the answer index.");
        Meter.CreateObservableCounter("dnsmcs_index_rejected_total", ReadRejections, null,
            "Names or records the index left out of a service's answers (or builds that failed), by reason; each fault counted when it appears.");

        _events = Meter.CreateCounter<long>("dnsmcs_source_watch_events_total", null, "Watch events received per source, resource and event type.");
        _relists = Meter.CreateCounter<long>("dnsmcs_source_relists_total", null, "Full lists taken after the first, per source and resource.");
        _reconnects = Meter.CreateCounter<long>("dnsmcs_source_reconnects_total", null, "Watch connections reopened, per source and resource.");
        _sourceErrors = Meter.CreateCounter<long>("dnsmcs_source_errors_total", null, "List, watch or decode errors per source and resource.");
        Meter.CreateObservableGauge("dnsmcs_source_synced",
            () => _sources.Values.Select(s => new Measurement<int>(s.IsSynced ? 1 : 0, new KeyValuePair<string, object?>("source", s.Source))),
            null, "1 once the source completed its first full list, else 0.");

        _programming = Meter.CreateHistogram("dnsmcs_programming_duration_seconds", "s",
            "Time from an API server event to the answer being served, in seconds.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.ProgrammingLatency });

        _reconciles = Meter.CreateCounter<long>("dnsmcs_controller_reconciles_total", null, "Reconciles per controller and result.");
        _controllerErrors = Meter.CreateCounter<long>("dnsmcs_controller_errors_total", null, "Errors per controller outside a reconcile result.");
        Meter.CreateObservableGauge("dnsmcs_controller_queue_depth",
            () => _controllers.Values.Select(c => new Measurement<int>(c.QueueDepth, new KeyValuePair<string, object?>("controller", c.Controller))),
            null, "Items waiting in the controller's work queue.");
        Meter.CreateObservableGauge("dnsmcs_controller_leader",
            () => _controllers.Values.Select(c => new Measurement<int>(c.IsLeader ? 1 : 0, new KeyValuePair<string, object?>("controller", c.Controller))),
            null, "1 while this replica holds the controller's lease, else 0.");
    }

    public Meter Meter { get; }

    /// <summary>Where the index gauges read from; set once the index exists.</summary>
    public void SetIndexCounts(Func<IndexCounts> counts) => _indexCounts = counts;

    /// <summary>Where dnsmcs_index_rejected_total reads from (ClusterSetIndex.RejectedCount); set once the index exists.</summary>
    public void SetIndexRejections(Func<IndexRejectionReason, long> count) => _indexRejections = count;

    /// <summary>The metrics handle of a configured source; the same instance for the same name.</summary>
    public SourceMetrics ForSource(string source) =>
        _sources.GetOrAdd(source, name => new SourceMetrics(name, _events, _relists, _reconnects, _sourceErrors));

    /// <summary>The metrics handle of a controller; <paramref name="queueDepth"/> is read at each scrape.</summary>
    public ControllerMetrics ForController(string controller, Func<int>? queueDepth = null) =>
        _controllers.GetOrAdd(controller, name => new ControllerMetrics(name, _reconciles, _controllerErrors, queueDepth));

    /// <summary>One change became servable <paramref name="elapsed"/> after the API server's event.</summary>
    public void RecordProgramming(TimeSpan elapsed) => _programming.Record(Math.Max(0, elapsed.TotalSeconds));

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<long>> ReadRejections()
    {
        var count = _indexRejections;
        return count is null
            ? []
            : IndexRejectionReasons.All.Select(r => new Measurement<long>(count(r), new KeyValuePair<string, object?>("reason", IndexRejectionReasons.Label(r))));
    }

    private IEnumerable<Measurement<long>> ReadIndex(Func<IndexCounts, long> select)
    {
        var counts = _indexCounts;
        return counts is null ? [] : [new Measurement<long>(select(counts()))];
    }
}
