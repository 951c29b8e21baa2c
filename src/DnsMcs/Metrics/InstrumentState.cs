using System.Diagnostics.Metrics;
using System.Globalization;

namespace DnsMcs.Metrics;

/// <summary>What the collector keeps for one instrument: its Prometheus identity and its series.</summary>
internal sealed class InstrumentState
{
    private readonly KeyValuePair<string, string>[] _constantLabels;
    private readonly Dictionary<string, MetricSeries> _byLabelText = new(StringComparer.Ordinal);
    private readonly SeriesTable _table;
    private readonly int _maxSeries;
    private long _droppedMeasurements;

    public InstrumentState(Instrument instrument, InstrumentKind kind, bool integral, IReadOnlyList<double>? bucketBounds, int maxSeries)
    {
        Name = PrometheusText.SanitizeMetricName(instrument.Name);
        Help = instrument.Description ?? string.Empty;
        Kind = kind;
        IsIntegral = integral;
        BucketBounds = bucketBounds;
        _maxSeries = maxSeries;

        // Meter and instrument tags are constant labels of every series (e.g. server, zone, view).
        _constantLabels = [.. (instrument.Meter.Tags ?? []).Concat(instrument.Tags ?? []).Select(ToLabel)];
        _table = new SeriesTable(Create);
    }

    public string Name { get; }

    public string Help { get; }

    public InstrumentKind Kind { get; }

    public bool IsIntegral { get; }

    public IReadOnlyList<double>? BucketBounds { get; }

    /// <summary>Bumped before each scrape's observable callbacks; series not reported in it are not written.</summary>
    public int Generation { get; set; }

    /// <summary>Measurements refused because the instrument reached its series cap (a sign of an unbounded label).</summary>
    public long DroppedMeasurements => Interlocked.Read(ref _droppedMeasurements);

    public bool IsObservable => Kind is InstrumentKind.ObservableCounter or InstrumentKind.ObservableGauge;

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record(value, value, integral: true, tags);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record(0, value, integral: false, tags);

    /// <summary>The series for these tags, created on first use (null past the series cap).</summary>
    public MetricSeries? Series(ReadOnlySpan<KeyValuePair<string, object?>> tags) => _table.GetOrAdd(tags);

    // Integer instruments keep exact integer sums and values; histograms always observe as double.
    private void Record(long integer, double floating, bool integral, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _table.GetOrAdd(tags);
        if (series is null)
        {
            Interlocked.Increment(ref _droppedMeasurements);
            return;
        }

        switch (Kind)
        {
            case InstrumentKind.Counter or InstrumentKind.UpDownCounter when integral:
                series.Add(integer);
                break;
            case InstrumentKind.Counter or InstrumentKind.UpDownCounter:
                series.Add(floating);
                break;
            case InstrumentKind.Histogram:
                series.Observe(floating);
                break;
            default:
                if (integral)
                {
                    series.Set(integer);
                }
                else
                {
                    series.Set(floating);
                }

                series.Generation = Generation;
                break;
        }
    }

    /// <summary>The series to write now, ordered by label text so output is deterministic.</summary>
    public List<MetricSeries> SnapshotSeries()
    {
        List<MetricSeries> series;
        lock (_byLabelText)
        {
            series = [.. _byLabelText.Values];
        }

        if (IsObservable)
        {
            series.RemoveAll(s => s.Generation != Generation);
        }

        series.Sort(static (a, b) => string.CompareOrdinal(a.LabelText, b.LabelText));
        return series;
    }

    // Runs under the table's write lock, once per new tag combination.
    private MetricSeries? Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<KeyValuePair<string, string>>(_constantLabels.Length + tags.Length);
        labels.AddRange(_constantLabels);
        foreach (var tag in tags)
        {
            // A measurement tag overrides a constant label of the same name.
            var label = ToLabel(tag);
            labels.RemoveAll(l => l.Key == label.Key);
            labels.Add(label);
        }

        labels.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = PrometheusText.FormatLabels(labels);

        lock (_byLabelText)
        {
            if (_byLabelText.TryGetValue(text, out var existing))
            {
                return existing;
            }

            if (_byLabelText.Count >= _maxSeries)
            {
                return null;
            }

            var series = new MetricSeries(text, IsIntegral, BucketBounds);
            _byLabelText.Add(text, series);
            return series;
        }
    }

    private static KeyValuePair<string, string> ToLabel(KeyValuePair<string, object?> tag) =>
        new(PrometheusText.SanitizeLabelName(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty);
}
