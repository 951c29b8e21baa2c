namespace DnsMcs.Metrics;

/// <summary>How an instrument's measurements fold into a series, and which Prometheus type it is written as.</summary>
internal enum InstrumentKind
{
    /// <summary>Counter&lt;T&gt;: measurements are added; written as <c>counter</c>.</summary>
    Counter,

    /// <summary>UpDownCounter&lt;T&gt;: measurements are added; written as <c>gauge</c>.</summary>
    UpDownCounter,

    /// <summary>Gauge&lt;T&gt;: the last measurement wins; written as <c>gauge</c>.</summary>
    Gauge,

    /// <summary>ObservableCounter&lt;T&gt;: callbacks report the running total at each scrape; written as <c>counter</c>.</summary>
    ObservableCounter,

    /// <summary>ObservableGauge&lt;T&gt; and ObservableUpDownCounter&lt;T&gt;: callbacks report the value at each scrape.</summary>
    ObservableGauge,

    /// <summary>Histogram&lt;T&gt;: explicit buckets, sum and count.</summary>
    Histogram,
}
