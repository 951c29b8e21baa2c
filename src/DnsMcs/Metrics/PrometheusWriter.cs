namespace DnsMcs.Metrics;

/// <summary>Writes instrument snapshots as Prometheus text format 0.0.4, families sorted by name.</summary>
internal static class PrometheusWriter
{
    public static void Write(TextWriter writer, IReadOnlyList<InstrumentState> instruments)
    {
        // Two instruments may share a name (two meters); they form one family, and the first decides its type.
        var families = instruments
            .GroupBy(i => i.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);

        foreach (var family in families)
        {
            var first = family.First();
            var members = family.Where(i => TypeName(i.Kind) == TypeName(first.Kind)).ToList();
            var series = members.SelectMany(m => m.SnapshotSeries().Select(s => (m, s)))
                .DistinctBy(p => p.s.LabelText, StringComparer.Ordinal)
                .OrderBy(p => p.s.LabelText, StringComparer.Ordinal)
                .ToList();
            if (series.Count == 0)
            {
                // Prometheus accepts a family with no samples, but an empty HELP/TYPE pair only adds noise.
                continue;
            }

            var help = members.Select(m => m.Help).FirstOrDefault(h => h.Length > 0) ?? string.Empty;
            writer.Write("# HELP ");
            writer.Write(first.Name);
            writer.Write(' ');
            writer.Write(PrometheusText.EscapeHelp(help));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(first.Name);
            writer.Write(' ');
            writer.Write(TypeName(first.Kind));
            writer.Write('\n');

            foreach (var (_, s) in series)
            {
                if (first.Kind == InstrumentKind.Histogram)
                {
                    WriteHistogram(writer, first.Name, s);
                }
                else
                {
                    WriteSample(writer, first.Name, string.Empty, s.LabelText, null,
                        s.IsIntegral ? s.IntegerValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : PrometheusText.FormatValue(s.FloatingValue));
                }
            }
        }
    }

    private static void WriteHistogram(TextWriter writer, string name, MetricSeries series)
    {
        var bounds = series.BucketBounds!;
        Span<long> counts = stackalloc long[bounds.Count + 1];
        series.CopyBucketCounts(counts);

        long cumulative = 0;
        for (var i = 0; i < bounds.Count; i++)
        {
            cumulative += counts[i];
            WriteSample(writer, name, "_bucket", series.LabelText, PrometheusText.FormatValue(bounds[i]), Integer(cumulative));
        }

        // _count is the +Inf bucket by construction, so the two can never disagree within one scrape.
        cumulative += counts[bounds.Count];
        WriteSample(writer, name, "_bucket", series.LabelText, "+Inf", Integer(cumulative));
        WriteSample(writer, name, "_sum", series.LabelText, null, PrometheusText.FormatValue(series.Sum));
        WriteSample(writer, name, "_count", series.LabelText, null, Integer(cumulative));
    }

    private static void WriteSample(TextWriter writer, string name, string suffix, string labels, string? le, string value)
    {
        writer.Write(name);
        writer.Write(suffix);
        if (labels.Length > 0 || le is not null)
        {
            writer.Write('{');
            writer.Write(labels);
            if (le is not null)
            {
                if (labels.Length > 0)
                {
                    writer.Write(',');
                }

                writer.Write("le=\"");
                writer.Write(le);
                writer.Write('"');
            }

            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(value);
        writer.Write('\n');
    }

    private static string Integer(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string TypeName(InstrumentKind kind) => kind switch
    {
        InstrumentKind.Counter or InstrumentKind.ObservableCounter => "counter",
        InstrumentKind.Histogram => "histogram",
        _ => "gauge",
    };
}
