using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>Field selectors the fake understands: metadata.name and metadata.namespace with = / == / !=.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Equal)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            if (notEqual > 0)
            {
                selector._terms.Add((part[..notEqual], part[(notEqual + 2)..], false));
                continue;
            }

            var equal = part.IndexOf('=', StringComparison.Ordinal);
            if (equal <= 0)
            {
                throw new FormatException($"invalid field selector \"{part}\"");
            }

            selector._terms.Add((part[..equal], part[(equal + 1)..].TrimStart('='), true));
        }

        foreach (var (path, _, _) in selector._terms)
        {
            if (path is not ("metadata.name" or "metadata.namespace"))
            {
                throw new FormatException($"field label not supported: {path}");
            }
        }

        return selector;
    }

    public bool Matches(JsonObject obj) => _terms.TrueForAll(t =>
    {
        var actual = obj["metadata"]?[t.Path["metadata.".Length..]]?.GetValue<string>() ?? string.Empty;
        return (actual == t.Value) == t.Equal;
    });
}
