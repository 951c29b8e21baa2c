namespace DnsMcs.Metrics;

/// <summary>
/// One label set of one instrument: the running aggregate written at each scrape. Writers update it with
/// interlocked operations only, so recording never takes a lock and never allocates.
/// </summary>
internal sealed class MetricSeries
{
    private readonly long[]? _bucketCounts;
    private readonly double[]? _bounds;
    private long _integer;
    private double _floating;
    private double _sum;

    public MetricSeries(string labelText, bool integral, IReadOnlyList<double>? bucketBounds)
    {
        LabelText = labelText;
        IsIntegral = integral;
        BucketBounds = bucketBounds;
        if (bucketBounds is not null)
        {
            // One slot per bound plus the +Inf overflow slot; counts are per bucket, made cumulative when written.
            _bucketCounts = new long[bucketBounds.Count + 1];

            // An array, not the interface: Observe reads the bounds on every measurement.
            _bounds = [.. bucketBounds];
        }
    }

    /// <summary>Canonical label text, <c>a="x",b="y"</c> sorted by name, already escaped; empty for no labels.</summary>
    public string LabelText { get; }

    public bool IsIntegral { get; }

    public IReadOnlyList<double>? BucketBounds { get; }

    /// <summary>The scrape generation in which an observable callback last reported this series.</summary>
    public int Generation { get; set; }

    public long IntegerValue => Volatile.Read(ref _integer);

    public double FloatingValue => Volatile.Read(ref _floating);

    public double Sum => Volatile.Read(ref _sum);

    public void Add(long value) => Interlocked.Add(ref _integer, value);

    public void Add(double value) => AddDouble(ref _floating, value);

    public void Set(long value) => Volatile.Write(ref _integer, value);

    public void Set(double value) => Volatile.Write(ref _floating, value);

    public void Observe(double value)
    {
        var bounds = _bounds!;
        var index = 0;

        // Buckets are few (≤ 16 here) and small values are the common case, so a forward scan beats a binary search.
        while (index < bounds.Length && value > bounds[index])
        {
            index++;
        }

        Interlocked.Increment(ref _bucketCounts![index]);
        AddDouble(ref _sum, value);
    }

    /// <summary>Copies per-bucket counts (last slot = above every bound) for a consistent cumulative write.</summary>
    public void CopyBucketCounts(Span<long> destination)
    {
        var counts = _bucketCounts!;
        for (var i = 0; i < counts.Length; i++)
        {
            destination[i] = Volatile.Read(ref counts[i]);
        }
    }

    private static void AddDouble(ref double location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + value, current);

            // Compare bit patterns: NaN never equals itself, and a NaN sum must not spin forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}
