using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DnsMcs.Kubernetes.Yaml;

/// <summary>
/// Writes one YAML node as JSON, so field rules stay in a System.Text.Json source-generated context (no reflection:
/// the native AOT build has none to offer), and remembers where each field came from (JSON-style path -> YAML mark)
/// so any error can name its line. Plain scalars are typed by the YAML 1.2 core schema (null, true/false, integers,
/// floats); quoted or block scalars and anything tagged !!str stay strings. YAML 1.1's yes/no/on/off stay strings too.
/// With <see cref="ScalarTyping.NullOrString"/> every scalar but null is a string, as written: for schemas whose
/// values are all strings to the reader (a kubeconfig's token "0123" must not become the number 123).
/// </summary>
public sealed partial class YamlJsonWriter
{
    private const string StrTag = "tag:yaml.org,2002:str";

    // The characters for which System.Text.Json writes a property as ['name'] instead of .name in
    // JsonException.Path; using the same form lets its paths and ours meet in one map.
    private static readonly SearchValues<char> BracketedKeyChars = SearchValues.Create(". '/\"[]()\t\n\r\f\b\\\u0085\u2028\u2029");
    private static readonly SearchValues<char> OctalDigits = SearchValues.Create("01234567");

    /// <summary>
    /// Nodes written again through YAML aliases, at most: aliases are legal and cheap in YAML, but each use is
    /// written out in full, so nine nested aliases of ten ("billion laughs") would write 10^9 nodes.
    /// </summary>
    public const int MaxAliasExpansion = 100_000;

    private readonly Dictionary<string, Mark> _marks = new(StringComparer.Ordinal);
    private readonly HashSet<YamlNode> _visited = new(ReferenceEqualityComparer.Instance);
    private readonly ScalarTyping _typing;
    private int _aliasDepth;
    private int _aliasNodes;

    private YamlJsonWriter(ScalarTyping typing)
    {
        _typing = typing;
    }

    /// <summary>How plain scalars become JSON values.</summary>
    public enum ScalarTyping
    {
        /// <summary>The YAML 1.2 core schema: null, booleans, integers and floats; the rest strings.</summary>
        CoreSchema,

        /// <summary>Null stays null; everything else is the string as written.</summary>
        NullOrString,
    }

    /// <summary>Where the offending node was, when conversion failed.</summary>
    public Mark ErrorMark { get; private set; }

    public string? Error { get; private set; }

    public byte[] Json { get; private set; } = [];

    /// <summary>Converts <paramref name="root"/>; on failure <see cref="Error"/> and <see cref="ErrorMark"/> say why.</summary>
    public static YamlJsonWriter Convert(YamlNode root, ScalarTyping typing = ScalarTyping.CoreSchema)
    {
        var converter = new YamlJsonWriter(typing);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (!converter.Write(writer, root, string.Empty))
            {
                return converter;
            }
        }

        converter.Json = buffer.WrittenSpan.ToArray();
        return converter;
    }

    public static string ChildPath(string parent, string key) =>
        key.AsSpan().ContainsAny(BracketedKeyChars) ? $"{parent}['{key}']"
        : parent.Length == 0 ? key
        : $"{parent}.{key}";

    /// <summary>
    /// The mark of the deepest recorded node on <paramref name="path"/> ("spec.ports[1].port" falls back
    /// to "spec.ports[1]" when the port field is missing), or the root's.
    /// </summary>
    public Mark MarkOf(string? path)
    {
        var best = string.Empty;
        if (!string.IsNullOrEmpty(path))
        {
            foreach (var known in _marks.Keys)
            {
                if (known.Length > best.Length && path.StartsWith(known, StringComparison.Ordinal)
                    && (known.Length == path.Length || path[known.Length] is '.' or '['))
                {
                    best = known;
                }
            }
        }

        return _marks.TryGetValue(best, out var mark) ? mark : Mark.Empty;
    }

    private bool Write(Utf8JsonWriter writer, YamlNode node, string path)
    {
        // A node met twice is an alias (the representation model shares the anchored node): count what it expands to.
        var alias = !_visited.Add(node);
        if (alias || _aliasDepth > 0)
        {
            if (++_aliasNodes > MaxAliasExpansion)
            {
                return Fail(node.Start, $"YAML aliases expand to more than {MaxAliasExpansion} nodes (an alias bomb?)");
            }
        }

        if (alias)
        {
            _aliasDepth++;
        }

        try
        {
            return WriteNode(writer, node, path);
        }
        finally
        {
            if (alias)
            {
                _aliasDepth--;
            }
        }
    }

    private bool WriteNode(Utf8JsonWriter writer, YamlNode node, string path)
    {
        if (_aliasDepth == 0)
        {
            _marks[path] = node.Start; // inside an alias the anchor's marks already name the lines
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        return Fail(keyNode.Start, "a mapping key must be a plain string");
                    }

                    writer.WritePropertyName(key);
                    if (!Write(writer, valueNode, ChildPath(path, key)))
                    {
                        return false;
                    }
                }

                writer.WriteEndObject();
                return true;

            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (!Write(writer, sequence.Children[i], $"{path}[{i}]"))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return true;

            case YamlScalarNode scalar:
                WriteScalar(writer, scalar, _typing);
                return true;

            default:
                return Fail(node.Start, $"unsupported YAML node {node.NodeType}");
        }
    }

    private bool Fail(Mark mark, string message)
    {
        ErrorMark = mark;
        Error = message;
        return false;
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar, ScalarTyping typing)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == StrTag))
        {
            writer.WriteStringValue(text);
            return;
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
            return;
        }

        if (typing == ScalarTyping.NullOrString)
        {
            writer.WriteStringValue(text);
            return;
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }

        if (DecimalInteger().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                writer.WriteNumberValue(integer);
            }
            else
            {
                writer.WriteNumberValue(double.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            }

            return;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            writer.WriteNumberValue(hex);
            return;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && IsOctal(text.AsSpan(2)))
        {
            writer.WriteNumberValue(System.Convert.ToInt64(text[2..], 8));
            return;
        }

        if (Float().IsMatch(text))
        {
            writer.WriteNumberValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            return;
        }

        // Everything else, including .inf and .nan (which JSON cannot carry as numbers), is a string.
        writer.WriteStringValue(text);
    }

    private static bool IsOctal(ReadOnlySpan<char> digits) =>
        digits.Length is > 0 and <= 21 && !digits.ContainsAnyExcept(OctalDigits);

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Float();
}
