namespace DnsMcs.Metrics;

/// <summary>Histogram bucket boundaries shared with CoreDNS, so dashboards' <c>le</c> selectors match.</summary>
internal static class MetricBuckets
{
    /// <summary>CoreDNS's <c>plugin.TimeBuckets</c>: 0.25 ms doubling 16 times, up to about 8 s.</summary>
    public static IReadOnlyList<double> CoreDnsDuration { get; } = Exponential(0.00025, 2, 16);

    /// <summary>CoreDNS's request and response size buckets, in bytes.</summary>
    public static IReadOnlyList<double> CoreDnsSize { get; } =
        [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3];

    /// <summary>
    /// Programming latency: from an API server event to a servable answer, 0.1 ms to about 1 min. The buckets under 1 ms
    /// tell a p99 of 0.3 ms from one of 0.9 ms, which the 5 ms objective's dashboards need to see the headroom.
    /// </summary>
    public static IReadOnlyList<double> ProgrammingLatency { get; } =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Prometheus client libraries' default buckets, for histograms declared without advice.</summary>
    public static IReadOnlyList<double> Default { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static double[] Exponential(double start, double factor, int count)
    {
        var buckets = new double[count];
        var value = start;
        for (var i = 0; i < count; i++)
        {
            buckets[i] = value;
            value *= factor;
        }

        return buckets;
    }
}
