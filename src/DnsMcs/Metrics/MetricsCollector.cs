using System.Diagnostics.Metrics;
using System.Text;

namespace DnsMcs.Metrics;

/// <summary>
/// Listens to the instruments of the given meters and writes them in the Prometheus text format. Recording
/// runs on the caller's thread through <see cref="MeterListener"/> callbacks: one table probe and one
/// interlocked update per measurement, no lock, no allocation once a label set has been seen.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    /// <summary>A guard against an unbounded label: past this many series an instrument drops new label sets.</summary>
    public const int DefaultMaxSeriesPerInstrument = 2000;

    private readonly HashSet<Meter> _meters;
    private readonly int _maxSeries;
    private readonly MeterListener _listener;
    private readonly Lock _scrapeLock = new();
    private readonly List<InstrumentState> _instruments = [];
    private readonly Dictionary<Instrument, InstrumentState> _byInstrument = [];

    public MetricsCollector(IEnumerable<Meter> meters, int maxSeriesPerInstrument = DefaultMaxSeriesPerInstrument)
    {
        // Meters are matched by reference, so two collectors in one process (tests) never see each other's meters.
        _meters = new HashSet<Meter>(meters, ReferenceEqualityComparer.Instance);
        _maxSeries = maxSeriesPerInstrument;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Runs observable callbacks, then writes every instrument as text format 0.0.4.</summary>
    public void WriteTo(TextWriter writer)
    {
        lock (_scrapeLock)
        {
            List<InstrumentState> instruments;
            lock (_instruments)
            {
                instruments = [.. _instruments];
            }

            foreach (var instrument in instruments)
            {
                instrument.Generation++;
            }

            _listener.RecordObservableInstruments();
            PrometheusWriter.Write(writer, instruments);
        }
    }

    /// <summary>The exposition as a string (tests, and small scrapes).</summary>
    public string Scrape()
    {
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder, System.Globalization.CultureInfo.InvariantCulture))
        {
            WriteTo(writer);
        }

        return builder.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// The series an instrument of ours keeps for these tags, so a hot path can update it directly (the same
    /// series a measurement with these tags would reach) instead of paying the listener dispatch and the tag
    /// lookup per query. Null when the instrument is not collected here or is over its series cap.
    /// </summary>
    public MetricSeries? Bind(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        InstrumentState? state;
        lock (_instruments)
        {
            _byInstrument.TryGetValue(instrument, out state);
        }

        return state?.Series(tags);
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meters.Contains(instrument.Meter) || !TryDescribe(instrument, out var kind, out var integral))
        {
            return;
        }

        var bounds = kind == InstrumentKind.Histogram ? HistogramBounds(instrument) : null;
        var state = new InstrumentState(instrument, kind, integral, bounds, _maxSeries);
        lock (_instruments)
        {
            _instruments.Add(state);
            _byInstrument[instrument] = state;
        }

        listener.EnableMeasurementEvents(instrument, state);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        lock (_instruments)
        {
            _instruments.Remove((InstrumentState)state!);
            _byInstrument.Remove(instrument);
        }
    }

    private static bool TryDescribe(Instrument instrument, out InstrumentKind kind, out bool integral)
    {
        var type = instrument.GetType();
        kind = default;
        integral = false;
        if (!type.IsGenericType)
        {
            return false;
        }

        var definition = type.GetGenericTypeDefinition();
        InstrumentKind? known =
            definition == typeof(Counter<>) ? InstrumentKind.Counter :
            definition == typeof(UpDownCounter<>) ? InstrumentKind.UpDownCounter :
            definition == typeof(Gauge<>) ? InstrumentKind.Gauge :
            definition == typeof(Histogram<>) ? InstrumentKind.Histogram :
            definition == typeof(ObservableCounter<>) ? InstrumentKind.ObservableCounter :
            definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>) ? InstrumentKind.ObservableGauge :
            null;
        var valueType = type.GetGenericArguments()[0];
        var supported = valueType == typeof(long) || valueType == typeof(int) || valueType == typeof(short) || valueType == typeof(byte)
            || valueType == typeof(double) || valueType == typeof(float);
        if (known is null || !supported)
        {
            return false;
        }

        kind = known.Value;

        // Histograms always sum in floating point; everything else keeps integers exact.
        integral = kind != InstrumentKind.Histogram && valueType != typeof(double) && valueType != typeof(float);
        return true;
    }

    // Buckets come from the instrument's own advice, so the place that creates a histogram also decides its buckets.
    private static IReadOnlyList<double> HistogramBounds(Instrument instrument)
    {
        IReadOnlyList<double>? bounds = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return bounds is { Count: > 0 } ? [.. bounds.Distinct().Order()] : MetricBuckets.Default;
    }
}
