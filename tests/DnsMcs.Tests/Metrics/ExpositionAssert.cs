using System.Globalization;

namespace DnsMcs.Tests.Metrics;

/// <summary>Checks every histogram in an exposition: cumulative buckets, +Inf equal to _count, sum present.</summary>
internal static class ExpositionAssert
{
    public static void HistogramsConsistent(Exposition exposition)
    {
        foreach (var (name, _) in exposition.Types.Where(t => t.Value == "histogram"))
        {
            var buckets = exposition.Samples.Where(s => s.Name == name + "_bucket").GroupBy(s => s.LabelsWithout("le"));
            foreach (var series in buckets)
            {
                var ordered = series.OrderBy(s => Bound(s.Labels["le"])).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    Assert.True(ordered[i].Value >= ordered[i - 1].Value, $"{name}{{{series.Key}}} buckets not cumulative at le={ordered[i].Labels["le"]}");
                }

                Assert.Equal("+Inf", ordered[^1].Labels["le"]);
                var count = exposition.Samples.Single(s => s.Name == name + "_count" && s.LabelsWithout("le") == series.Key);
                Assert.Equal(ordered[^1].Value, count.Value);
                Assert.Single(exposition.Samples, s => s.Name == name + "_sum" && s.LabelsWithout("le") == series.Key);
            }
        }

        // Every sample belongs to a family with a TYPE line.
        foreach (var sample in exposition.Samples)
        {
            var family = exposition.Types.Keys.Where(sample.Name.StartsWith).OrderByDescending(k => k.Length).FirstOrDefault();
            Assert.True(family is not null, $"sample {sample.Name} has no TYPE");
        }
    }

    private static double Bound(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
}
