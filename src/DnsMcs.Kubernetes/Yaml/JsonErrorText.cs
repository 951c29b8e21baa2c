using System.Text.RegularExpressions;

namespace DnsMcs.Kubernetes.Yaml;

/// <summary>
/// A System.Text.Json failure on YAML that <see cref="YamlJsonWriter"/> turned into JSON, in the words of the person
/// who wrote the YAML: the field, as <see cref="YamlJsonWriter.MarkOf"/> takes it to find the line, and the message
/// without the path and line of the generated JSON. Manifests and kubeconfigs both report their errors this way.
/// </summary>
public static partial class JsonErrorText
{
    /// <summary>JsonException.Path is "$.spec.ports[0].port" or "$['metadata']…"; the field drops the "$" root.</summary>
    public static string Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..];
    }

    /// <summary>
    /// System.Text.Json says "The JSON value could not be converted to System.Int32. Path: … | LineNumber: 0 …";
    /// the line is of the generated JSON, not the file, so keep only what the user can act on.
    /// </summary>
    public static string Describe(string field, string message)
    {
        var match = ConvertedTo().Match(message);
        if (match.Success)
        {
            var expected = match.Groups[1].Value switch
            {
                "System.String" => "a string",
                "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "an integer",
                "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
                var t when t.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "a list",
                var t when t.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "a mapping",
                _ => "an object",
            };
            return field.Length == 0 ? $"expected {expected}" : $"{field} must be {expected}";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut < 0 ? message : message[..cut];
        return field.Length == 0 ? text : $"{field}: {text}";
    }

    [GeneratedRegex(@"could not be converted to ([^\s]+?)\.(\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();
}
