using System.Numerics;

namespace DnsMcs.Metrics;

/// <summary>
/// One label set of one instrument: the running aggregate written at each scrape. Recording never takes a lock and
/// never allocates. Counts and histogram cells are striped, and a scrape sums the stripes:
/// <list type="bullet">
/// <item>a thread holding a <see cref="MetricWriter"/> (a listener loop) has stripes of its own in every series and
/// adds with plain writes: no other thread writes there, and a scrape reads each cell whole (<c>Volatile.Read</c> of a
/// long is atomic on 32-bit too);</item>
/// <item>every other thread adds with interlocked operations into its processor's stripe, so threads on many cores
/// do not contend on one counter.</item>
/// </list>
/// </summary>
internal sealed class MetricSeries
{
    // 64-byte cache lines hold 8 longs; each stripe is padded to whole lines so no two stripes share one.
    private const int LongsPerCacheLine = 8;

    private static readonly int ProcessorStripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 32));
    private static readonly int StripeCount = ProcessorStripes + MetricWriter.Count;

    private readonly double[]? _bounds;
    private readonly long[] _cells;
    private readonly int _stride;
    private long _integer;
    private double _floating;

    public MetricSeries(string labelText, bool integral, IReadOnlyList<double>? bucketBounds)
    {
        LabelText = labelText;
        IsIntegral = integral;
        BucketBounds = bucketBounds;

        // Per stripe: one count (counters), or one slot per bound + the +Inf slot + the sum's bits (histograms).
        var used = bucketBounds is null ? 1 : bucketBounds.Count + 2;
        _stride = (used + LongsPerCacheLine - 1) / LongsPerCacheLine * LongsPerCacheLine;

        // A leading line of padding keeps stripe 0 off the array header's line.
        _cells = new long[LongsPerCacheLine + (_stride * StripeCount)];
        if (bucketBounds is not null)
        {
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

    /// <summary>Sum of striped adds plus the last value set (an instrument only ever does one of the two).</summary>
    public long IntegerValue
    {
        get
        {
            var total = Volatile.Read(ref _integer);
            for (var stripe = 0; stripe < StripeCount; stripe++)
            {
                total += Volatile.Read(ref _cells[Offset(stripe)]);
            }

            return total;
        }
    }

    public double FloatingValue => Volatile.Read(ref _floating);

    public double Sum
    {
        get
        {
            var sumSlot = _bounds!.Length + 1;
            var total = 0.0;
            for (var stripe = 0; stripe < StripeCount; stripe++)
            {
                total += BitConverter.Int64BitsToDouble(Volatile.Read(ref _cells[Offset(stripe) + sumSlot]));
            }

            return total;
        }
    }

    public void Add(long value)
    {
        var writer = MetricWriter.Current;
        if (writer != 0)
        {
            ref var cell = ref _cells[Offset(ProcessorStripes + writer - 1)];
            Volatile.Write(ref cell, cell + value);
            return;
        }

        Interlocked.Add(ref _cells[Offset(CurrentStripe())], value);
    }

    // Floating-point counters are not on the query path; one shared cell is enough for them.
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

        var writer = MetricWriter.Current;
        if (writer != 0)
        {
            var own = Offset(ProcessorStripes + writer - 1);
            ref var count = ref _cells[own + index];
            Volatile.Write(ref count, count + 1);
            ref var sum = ref _cells[own + bounds.Length + 1];
            Volatile.Write(ref sum, BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(sum) + value));
            return;
        }

        var offset = Offset(CurrentStripe());
        Interlocked.Increment(ref _cells[offset + index]);
        AddDoubleBits(ref _cells[offset + bounds.Length + 1], value);
    }

    /// <summary>Copies per-bucket counts (last slot = above every bound), summed over stripes, for a cumulative write.</summary>
    public void CopyBucketCounts(Span<long> destination)
    {
        var slots = _bounds!.Length + 1;
        destination[..slots].Clear();
        for (var stripe = 0; stripe < StripeCount; stripe++)
        {
            var offset = Offset(stripe);
            for (var i = 0; i < slots; i++)
            {
                destination[i] += Volatile.Read(ref _cells[offset + i]);
            }
        }
    }

    private static int CurrentStripe() => Thread.GetCurrentProcessorId() & (ProcessorStripes - 1);

    private int Offset(int stripe) => LongsPerCacheLine + (stripe * _stride);

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

    private static void AddDoubleBits(ref long location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
            var seen = Interlocked.CompareExchange(ref location, updated, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
