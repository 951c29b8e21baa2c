using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DnsMcs.Sources;

/// <summary>
/// A manifest file -> translated objects. Reads YAML (every document of a multi-document file) and JSON
/// (a subset of YAML, so one parser gives lines for both), unrolls <c>kind: List</c> and <c>*List</c>
/// items, turns each object into JSON for <see cref="KubernetesJsonContext"/>, and hands it to
/// <see cref="ObjectTranslator"/>. Every error names the file, the line and, when known, the object.
/// </summary>
internal static partial class ManifestReader
{
    public static ManifestReadResult ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ManifestReadResult([], [], [new ManifestError(path, 0, null, $"cannot read the file: {ex.Message}")]);
        }

        return Read(path, text);
    }

    /// <summary>Reads manifest <paramref name="text"/>; <paramref name="path"/> only labels entries and errors.</summary>
    public static ManifestReadResult Read(string path, string text)
    {
        var entries = ImmutableArray.CreateBuilder<ManifestEntry>();
        var ignored = ImmutableArray.CreateBuilder<string>();
        var errors = ImmutableArray.CreateBuilder<ManifestError>();

        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex) when (ex.Message.Contains("tab", StringComparison.Ordinal) && TabIndentedLine(text, ex.Start.Line) is { } tabLine)
        {
            // YamlDotNet marks the start of the mapping the tab breaks (often line 1); the tab's own line is what to fix.
            errors.Add(new ManifestError(path, tabLine, null, "a tab in the indentation; YAML indents with spaces only"));
            return new ManifestReadResult([], [], errors.ToImmutable());
        }
        catch (YamlException ex)
        {
            errors.Add(new ManifestError(path, ex.Start.Line, null, StripMarks(ex.Message)));
            return new ManifestReadResult([], [], errors.ToImmutable());
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a mark, on some unterminated flow collections
            // ("[a, b" at the end of a file); the parser's last event is the closest line we have.
            var line = parser.Current?.End.Line ?? 0;
            errors.Add(new ManifestError(path, line, null, "malformed YAML at or after this line, likely an unclosed [ or {"));
            return new ManifestReadResult([], [], errors.ToImmutable());
        }

        var context = new ReadContext(path, entries, ignored, errors);
        foreach (var document in stream.Documents)
        {
            // "---" at the end of a file, or between two, makes an empty document: nothing to read.
            if (document.RootNode is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" })
            {
                continue;
            }

            ReadObject(context, document.RootNode);
        }

        return new ManifestReadResult(entries.ToImmutable(), ignored.ToImmutable(), errors.ToImmutable());
    }

    private static void ReadObject(ReadContext context, YamlNode node)
    {
        var line = node.Start.Line;
        if (node is not YamlMappingNode mapping)
        {
            context.Errors.Add(new ManifestError(context.Path, line, null, "expected an object (a mapping with apiVersion, kind and metadata)"));
            return;
        }

        var kind = Scalar(mapping, "kind");
        var apiVersion = Scalar(mapping, "apiVersion");
        var metadata = Child(mapping, "metadata") as YamlMappingNode;
        var name = metadata is null ? null : Scalar(metadata, "name");
        var ns = metadata is null ? null : Scalar(metadata, "namespace");
        string? label = kind is null ? null : name is null ? kind : new ObjectKey(kind, string.IsNullOrEmpty(ns) ? null : ns, name).ToString();

        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            context.Errors.Add(new ManifestError(context.Path, line, label, "apiVersion and kind are required"));
            return;
        }

        if (kind.EndsWith("List", StringComparison.Ordinal) && Child(mapping, "items") is { } items)
        {
            if (items is not YamlSequenceNode sequence)
            {
                context.Errors.Add(new ManifestError(context.Path, items.Start.Line, label, "items must be a list"));
                return;
            }

            foreach (var item in sequence.Children)
            {
                ReadObject(context, item);
            }

            return;
        }

        TranslationResult<ClusterSetObject>? result = kind switch
        {
            ServiceObject.KindName => Translate(context, mapping, label, KubernetesJsonContext.Default.ServiceImport),
            EndpointSliceObject.KindName => Translate(context, mapping, label, KubernetesJsonContext.Default.EndpointSlice),
            NamespaceObject.KindName => Translate(context, mapping, label, KubernetesJsonContext.Default.Namespace),
            LocalClusterIdObject.KindName => Translate(context, mapping, label, KubernetesJsonContext.Default.ClusterProperty),
            _ => TranslationFailure.Ignored(NotServed(kind)),
        };

        switch (result?.Outcome)
        {
            case TranslationOutcome.Translated:
                context.Entries.Add(new ManifestEntry(result.Value.Value!, context.Path, line));
                break;
            case TranslationOutcome.Ignored:
                context.Ignored.Add($"{context.Path}:{line}: {label}: {result.Value.Reason}");
                break;
            default:
                // Invalid results were recorded where the field's line was known.
                break;
        }
    }

    private static TranslationResult<ClusterSetObject>? Translate<T>(ReadContext context, YamlMappingNode mapping, string? label, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : KubernetesObject
    {
        var json = YamlJsonWriter.Convert(mapping);
        if (json.Error is not null)
        {
            context.Errors.Add(new ManifestError(context.Path, json.ErrorMark.Line, label, json.Error));
            return null;
        }

        T? obj;
        try
        {
            obj = JsonSerializer.Deserialize(json.Json, typeInfo);
        }
        catch (JsonException ex)
        {
            var field = JsonErrorText.Field(ex.Path);
            context.Errors.Add(new ManifestError(context.Path, json.MarkOf(field).Line, label, JsonErrorText.Describe(field, ex.Message)));
            return null;
        }

        if (obj is null)
        {
            context.Errors.Add(new ManifestError(context.Path, mapping.Start.Line, label, "expected an object"));
            return null;
        }

        var result = ObjectTranslator.Translate(obj);
        if (result.Outcome == TranslationOutcome.Invalid)
        {
            context.Errors.Add(new ManifestError(context.Path, json.MarkOf(result.Field).Line, label, result.Message));
            return null;
        }

        return result;
    }

    /// <summary>The first line at or after <paramref name="fromLine"/> whose indentation holds a tab, or null.</summary>
    private static long? TabIndentedLine(string text, long fromLine)
    {
        var number = 0L;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            number++;
            var indentation = line[..(line.Length - line.TrimStart(" \t").Length)];
            if (number >= fromLine && indentation.Contains('\t'))
            {
                return number;
            }
        }

        return null;
    }

    /// <summary>Why a kind is skipped, with the served kind it was likely meant to be (a typo, or the wrong case).</summary>
    private static string NotServed(string kind)
    {
        string[] served = [ServiceObject.KindName, EndpointSliceObject.KindName, NamespaceObject.KindName, LocalClusterIdObject.KindName];
        var meant = served.FirstOrDefault(candidate => string.Equals(candidate, kind, StringComparison.OrdinalIgnoreCase))
            ?? served.FirstOrDefault(candidate => EditDistance(candidate.ToLowerInvariant(), kind.ToLowerInvariant()) <= 2);
        return meant is null
            ? $"kind {kind} is not served (only {string.Join(", ", served)})"
            : $"kind {kind} is not served; did you mean {meant}?";
    }

    // Levenshtein distance; kinds are short, so the full table is cheap.
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string StripMarks(string message) => YamlMarks().Replace(message, string.Empty);

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        Child(mapping, key) is YamlScalarNode { Value: { } value } ? value : null;

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex YamlMarks();

    private sealed record ReadContext(
        string Path,
        ImmutableArray<ManifestEntry>.Builder Entries,
        ImmutableArray<string>.Builder Ignored,
        ImmutableArray<ManifestError>.Builder Errors);
}
