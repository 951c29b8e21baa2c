using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// The label selector grammar of the API server: comma-separated requirements, each
/// "k", "!k", "k=v", "k==v", "k!=v", "k in (a,b)" or "k notin (a,b)".
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var part in SplitTopLevel(text))
        {
            var requirement = part.Trim();
            int at;
            if ((at = requirement.IndexOf(" notin ", StringComparison.Ordinal)) > 0)
            {
                var (key, values) = (requirement[..at].Trim(), SetOf(requirement[(at + 7)..]));
                selector._requirements.Add(l => !l.TryGetValue(key, out var v) || !values.Contains(v));
            }
            else if ((at = requirement.IndexOf(" in ", StringComparison.Ordinal)) > 0)
            {
                var (key, values) = (requirement[..at].Trim(), SetOf(requirement[(at + 4)..]));
                selector._requirements.Add(l => l.TryGetValue(key, out var v) && values.Contains(v));
            }
            else if ((at = requirement.IndexOf("!=", StringComparison.Ordinal)) > 0)
            {
                var (key, value) = (requirement[..at].Trim(), requirement[(at + 2)..].Trim());
                selector._requirements.Add(l => !l.TryGetValue(key, out var v) || v != value);
            }
            else if ((at = requirement.IndexOf('=', StringComparison.Ordinal)) > 0)
            {
                var key = requirement[..at].Trim();
                var value = requirement[(at + 1)..].TrimStart('=').Trim();
                selector._requirements.Add(l => l.TryGetValue(key, out var v) && v == value);
            }
            else if (requirement.StartsWith('!'))
            {
                var key = requirement[1..].Trim();
                selector._requirements.Add(l => !l.ContainsKey(key));
            }
            else if (requirement.Length > 0)
            {
                selector._requirements.Add(l => l.ContainsKey(requirement));
            }
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        if (_requirements.Count == 0)
        {
            return true;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        return _requirements.TrueForAll(r => r(labels));
    }

    private static HashSet<string> SetOf(string text) =>
        [.. text.Trim().TrimStart('(').TrimEnd(')').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}
