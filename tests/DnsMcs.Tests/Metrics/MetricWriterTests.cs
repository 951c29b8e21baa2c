using DnsMcs.Metrics;

namespace DnsMcs.Tests.Metrics;

/// <summary>
/// Writer stripes: threads that claim one record with plain writes, the others with interlocked ones, into the same
/// series; a scrape's sums must come out exact however the two kinds of thread interleave. Alone, not beside the
/// server tests: their listener loops hold writer stripes too, and these tests count on claiming them.
/// </summary>
[Collection(MetricWriterCollection.Name)]
public sealed class MetricWriterTests
{
    private const int PerThread = 200_000;

    [Theory]
    [InlineData(0, 4)] // no writers: the interlocked path alone
    [InlineData(4, 0)] // writers alone
    [InlineData(3, 3)] // both at once, on the same series
    [InlineData(MetricWriter.Count + 2, 2)] // more writers than stripes: the rest fall back to interlocked adds
    public void WritersAndOthers_AddingAtOnce_SumExactly(int writers, int others)
    {
        var counter = new MetricSeries("", integral: true, bucketBounds: null);
        var histogram = new MetricSeries("", integral: false, bucketBounds: [1, 10]);
        var threads = new List<Thread>();
        using var start = new ManualResetEventSlim();
        for (var i = 0; i < writers + others; i++)
        {
            var claims = i < writers;
            threads.Add(new Thread(() =>
            {
                using var writer = claims ? MetricWriter.Claim() : default;
                start.Wait();
                for (var n = 0; n < PerThread; n++)
                {
                    counter.Add(1);
                    histogram.Observe(n % 3 == 0 ? 0.5 : 5); // a third in the first bucket, the rest in the second
                }
            }));
        }

        threads.ForEach(t => t.Start());
        start.Set();
        threads.ForEach(t => t.Join());

        var total = (long)PerThread * (writers + others);
        Assert.Equal(total, counter.IntegerValue);
        var buckets = new long[3];
        histogram.CopyBucketCounts(buckets);
        var first = (long)((PerThread + 2) / 3) * (writers + others);
        Assert.Equal([first, total - first, 0], buckets);
        Assert.Equal((first * 0.5) + ((total - first) * 5.0), histogram.Sum);
    }

    [Fact]
    public void Claim_EndedOnOneThread_NextClaimantGoesOnFromItsCounts()
    {
        var counter = new MetricSeries("", integral: true, bucketBounds: null);
        for (var round = 0; round < 3; round++)
        {
            var thread = new Thread(() =>
            {
                using var writer = MetricWriter.Claim();
                Assert.NotEqual(0, MetricWriter.Current);
                counter.Add(5);
            });
            thread.Start();
            thread.Join();
        }

        Assert.Equal(15, counter.IntegerValue);
    }

    [Fact]
    public void Claim_WhileHoldingOne_InnerClaimKeepsTheOuterStripe()
    {
        var stripe = 0;
        var afterInner = -1;
        var afterOuter = -1;
        var thread = new Thread(() =>
        {
            using (var outer = MetricWriter.Claim())
            {
                stripe = MetricWriter.Current;
                using (var inner = MetricWriter.Claim())
                {
                }

                afterInner = MetricWriter.Current;
            }

            afterOuter = MetricWriter.Current;
        });
        thread.Start();
        thread.Join();

        Assert.NotEqual(0, stripe);
        Assert.Equal(stripe, afterInner);
        Assert.Equal(0, afterOuter);
    }
}
