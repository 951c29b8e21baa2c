using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DnsMcs.Metrics;

/// <summary>
/// The metrics of one source (one cluster or one manifest folder), labelled with its configured name — a
/// bounded set, fixed by the configuration. Obtain one per source from <see cref="DnsMcsMetrics.ForSource"/>.
/// </summary>
internal sealed class SourceMetrics
{
    private readonly Counter<long> _events;
    private readonly Counter<long> _relists;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _errors;
    private volatile bool _synced;

    internal SourceMetrics(string source, Counter<long> events, Counter<long> relists, Counter<long> reconnects, Counter<long> errors)
    {
        Source = source;
        _events = events;
        _relists = relists;
        _reconnects = reconnects;
        _errors = errors;
    }

    public string Source { get; }

    public bool IsSynced => _synced;

    public void WatchEvent(SourceResource resource, WatchEventKind kind) =>
        _events.Add(1, new TagList
        {
            { "source", Source }, { "resource", SourceMetricLabels.Resource(resource) }, { "event", SourceMetricLabels.Event(kind) },
        });

    /// <summary>A full list was taken again (410 Gone, or a watch that could not resume).</summary>
    public void Relist(SourceResource resource) => _relists.Add(1, Tags(resource));

    /// <summary>A watch connection was opened again after it ended.</summary>
    public void Reconnect(SourceResource resource) => _reconnects.Add(1, Tags(resource));

    public void Error(SourceResource resource) => _errors.Add(1, Tags(resource));

    /// <summary>Shows the resource's error count at 0 before the first error, so a rate or an alert has a series from the start.</summary>
    public void Watching(SourceResource resource) => _errors.Add(0, Tags(resource));

    /// <summary>The source finished its first full list (or, for files, its first read).</summary>
    public void SetSynced(bool synced) => _synced = synced;

    private TagList Tags(SourceResource resource) =>
        new() { { "source", Source }, { "resource", SourceMetricLabels.Resource(resource) } };
}
