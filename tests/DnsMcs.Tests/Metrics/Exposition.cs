using System.Globalization;
using System.Text.RegularExpressions;

namespace DnsMcs.Tests.Metrics;

/// <summary>A strict reader of Prometheus text format 0.0.4, enough to check what the collector writes.</summary>
internal sealed partial class Exposition
{
    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public List<Sample> Samples { get; } = [];

    public static Exposition Parse(string text)
    {
        Assert.EndsWith("\n", text);
        var result = new Exposition();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ');
                Assert.True(result.Help.TryAdd(rest[..space], rest[(space + 1)..]), $"duplicate HELP: {line}");
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.Contains(parts[1], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                Assert.True(result.Types.TryAdd(parts[0], parts[1]), $"duplicate TYPE: {line}");
            }
            else
            {
                result.Samples.Add(ParseSample(line));
            }
        }

        return result;
    }

    public IEnumerable<Sample> Family(string name) =>
        Samples.Where(s => s.Name == name || s.Name == name + "_bucket" || s.Name == name + "_sum" || s.Name == name + "_count");

    public double Value(string name, params (string Key, string Value)[] labels) =>
        Samples.Single(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Value;

    private static Sample ParseSample(string line)
    {
        var match = SampleLine().Match(line);
        Assert.True(match.Success, $"not a sample line: {line}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
        {
            var value = Regex.Replace(label.Groups["value"].Value, @"\\(.)", m => m.Groups[1].Value == "n" ? "\n" : m.Groups[1].Value);
            Assert.True(labels.TryAdd(label.Groups["name"].Value, value), $"duplicate label in {line}");
        }

        var text = match.Groups["value"].Value;
        var number = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(match.Groups["name"].Value, labels, number);
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>([^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public string LabelsWithout(string name) =>
            string.Join(",", Labels.Where(l => l.Key != name).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
    }
}
