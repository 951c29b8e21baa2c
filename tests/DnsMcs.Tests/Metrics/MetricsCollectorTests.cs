using System.Diagnostics.Metrics;
using DnsMcs.Metrics;

namespace DnsMcs.Tests.Metrics;

public sealed class MetricsCollectorTests
{
    [Fact]
    public void Scrape_CounterWithLabels_WritesHelpTypeAndSortedSeries()
    {
        using var meter = new Meter("test.counter");
        using var collector = new MetricsCollector([meter]);
        var counter = meter.CreateCounter<long>("test_requests_total", null, "Requests.\nSecond line \\ here.");

        counter.Add(2, new KeyValuePair<string, object?>("b", "y"), new KeyValuePair<string, object?>("a", "x"));
        counter.Add(3, new KeyValuePair<string, object?>("a", "x"), new KeyValuePair<string, object?>("b", "y"));
        counter.Add(1, new KeyValuePair<string, object?>("a", "w"), new KeyValuePair<string, object?>("b", "y"));

        var text = collector.Scrape();

        Assert.Equal(
            "# HELP test_requests_total Requests.\\nSecond line \\\\ here.\n" +
            "# TYPE test_requests_total counter\n" +
            "test_requests_total{a=\"w\",b=\"y\"} 1\n" +
            "test_requests_total{a=\"x\",b=\"y\"} 5\n",
            text);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("quo\"te", "quo\\\"te")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("line\nfeed", "line\\nfeed")]
    [InlineData("", "")]
    public void Scrape_LabelValue_IsEscapedAndParsesBack(string value, string escaped)
    {
        using var meter = new Meter("test.escape");
        using var collector = new MetricsCollector([meter]);
        meter.CreateCounter<long>("test_total").Add(1, new KeyValuePair<string, object?>("v", value));

        var text = collector.Scrape();

        Assert.Contains($"test_total{{v=\"{escaped}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(value, Exposition.Parse(text).Samples.Single().Labels["v"]);
    }

    [Fact]
    public void Scrape_InvalidNames_AreSanitized()
    {
        using var meter = new Meter("test.names");
        using var collector = new MetricsCollector([meter]);
        meter.CreateUpDownCounter<int>("dnsmcs.queue-depth").Add(4, new KeyValuePair<string, object?>("k8s.resource", "svc"));

        var exposition = Exposition.Parse(collector.Scrape());

        Assert.Equal("gauge", exposition.Types["dnsmcs_queue_depth"]);
        Assert.Equal(4, exposition.Value("dnsmcs_queue_depth", ("k8s_resource", "svc")));
    }

    [Fact]
    public void Scrape_Histogram_BucketsCumulativeCountEqualsInfAndSumMatches()
    {
        using var meter = new Meter("test.histogram");
        using var collector = new MetricsCollector([meter]);
        var histogram = meter.CreateHistogram("test_seconds", "s", "Latency.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        double[] values = [0.05, 0.1, 0.5, 2, 2, 50];
        foreach (var value in values)
        {
            histogram.Record(value);
        }

        var text = collector.Scrape();
        var exposition = Exposition.Parse(text);

        ExpositionAssert.HistogramsConsistent(exposition);
        Assert.Equal(2, exposition.Value("test_seconds_bucket", ("le", "0.1")));
        Assert.Equal(3, exposition.Value("test_seconds_bucket", ("le", "1")));
        Assert.Equal(5, exposition.Value("test_seconds_bucket", ("le", "10")));
        Assert.Equal(6, exposition.Value("test_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(6, exposition.Value("test_seconds_count"));
        Assert.Equal(values.Sum(), exposition.Value("test_seconds_sum"), 9);
        Assert.Equal("histogram", exposition.Types["test_seconds"]);
    }

    [Fact]
    public void Scrape_HistogramWithoutAdvice_UsesDefaultBuckets()
    {
        using var meter = new Meter("test.histogram.default");
        using var collector = new MetricsCollector([meter]);
        meter.CreateHistogram<int>("test_bytes").Record(3);

        var exposition = Exposition.Parse(collector.Scrape());

        Assert.Equal(MetricBuckets.Default.Count + 1, exposition.Samples.Count(s => s.Name == "test_bytes_bucket"));
        ExpositionAssert.HistogramsConsistent(exposition);
    }

    [Fact]
    public void Record_FromManyThreads_LosesNoMeasurement()
    {
        using var meter = new Meter("test.threads");
        using var collector = new MetricsCollector([meter]);
        var counter = meter.CreateCounter<long>("test_total");
        var histogram = meter.CreateHistogram("test_seconds", null, null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5] });
        string[] protos = ["udp", "tcp"];
        const int Threads = 8;
        const int PerThread = 20_000;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("proto", protos[i % 2]));
                histogram.Record(i % 2 == 0 ? 0.25 : 1.0);
            }
        });

        var exposition = Exposition.Parse(collector.Scrape());
        Assert.Equal(Threads * PerThread / 2, exposition.Value("test_total", ("proto", "udp")));
        Assert.Equal(Threads * PerThread / 2, exposition.Value("test_total", ("proto", "tcp")));
        Assert.Equal(Threads * PerThread, exposition.Value("test_seconds_count"));
        Assert.Equal(Threads * PerThread / 2, exposition.Value("test_seconds_bucket", ("le", "0.5")));
        Assert.Equal(Threads * PerThread * 0.625, exposition.Value("test_seconds_sum"), 6);
    }

    [Fact]
    public async Task Scrape_WhileRecording_HistogramStaysConsistent()
    {
        using var meter = new Meter("test.concurrent.scrape");
        using var collector = new MetricsCollector([meter]);
        var histogram = meter.CreateHistogram("test_seconds", null, null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                histogram.Record((i++ % 200) / 1000.0);
            }
        })).ToArray();

        try
        {
            for (var scrape = 0; scrape < 50; scrape++)
            {
                var text = collector.Scrape();
                if (text.Length > 0)
                {
                    ExpositionAssert.HistogramsConsistent(Exposition.Parse(text));
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
    }

    [Fact]
    public void Scrape_ObservableGauge_WritesOnlySeriesReportedThisScrape()
    {
        using var meter = new Meter("test.observable");
        using var collector = new MetricsCollector([meter]);
        var sources = new List<string> { "east", "west" };
        meter.CreateObservableGauge("test_synced",
            () => sources.Select(s => new Measurement<int>(1, new KeyValuePair<string, object?>("source", s))).ToList());

        var first = Exposition.Parse(collector.Scrape());
        sources.Remove("west");
        var second = Exposition.Parse(collector.Scrape());

        Assert.Equal(2, first.Samples.Count);
        Assert.Equal("east", Assert.Single(second.Samples).Labels["source"]);
    }

    [Fact]
    public void Scrape_ObservableCounter_IsCounterWithReportedTotal()
    {
        using var meter = new Meter("test.observable.counter");
        using var collector = new MetricsCollector([meter]);
        long total = 41;
        meter.CreateObservableCounter("test_events_total", () => ++total);

        var exposition = Exposition.Parse(collector.Scrape());

        Assert.Equal("counter", exposition.Types["test_events_total"]);
        Assert.Equal(42, exposition.Value("test_events_total"));
    }

    [Fact]
    public void Record_PastSeriesCap_DropsNewLabelSetsOnly()
    {
        using var meter = new Meter("test.cap");
        using var collector = new MetricsCollector([meter], maxSeriesPerInstrument: 3);
        var counter = meter.CreateCounter<long>("test_total");

        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("ip", $"10.0.0.{i}"));
        }

        counter.Add(1, new KeyValuePair<string, object?>("ip", "10.0.0.0"));

        var exposition = Exposition.Parse(collector.Scrape());
        Assert.Equal(3, exposition.Samples.Count);
        Assert.Equal(2, exposition.Value("test_total", ("ip", "10.0.0.0")));
    }

    [Fact]
    public void Collector_OtherMeter_IsNotWritten()
    {
        using var ours = new Meter("test.ours");
        using var theirs = new Meter("test.ours");
        using var collector = new MetricsCollector([ours]);
        ours.CreateCounter<long>("ours_total").Add(1);
        theirs.CreateCounter<long>("theirs_total").Add(1);

        var text = collector.Scrape();

        Assert.Contains("ours_total 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("theirs_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_MeterAndInstrumentTags_BecomeConstantLabels()
    {
        using var meter = new Meter(new MeterOptions("test.tags") { Tags = [new("server", "dns://:53")] });
        using var collector = new MetricsCollector([meter]);
        meter.CreateCounter<long>("test_total", null, null, [new("zone", "clusterset.local.")])
            .Add(1, new KeyValuePair<string, object?>("type", "A"));

        var sample = Exposition.Parse(collector.Scrape()).Samples.Single();

        Assert.Equal("dns://:53", sample.Labels["server"]);
        Assert.Equal("clusterset.local.", sample.Labels["zone"]);
        Assert.Equal("A", sample.Labels["type"]);
    }
}
