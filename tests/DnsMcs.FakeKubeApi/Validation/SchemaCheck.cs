using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// Walks a JSON value along an OpenAPI v3 schema, as the API server's decoder and validator do:
/// <see cref="UnknownFields"/> lists (and prunes) fields the schema does not declare; <see cref="Validate"/>
/// checks types, required fields, enums, maxItems, string lengths, patterns and minimums. An object schema
/// with neither properties nor additionalProperties (FieldsV1, a CRD's embedded objects) holds anything.
/// </summary>
internal static class SchemaCheck
{
    /// <summary>Paths of the fields outside the schema ("key", "spec.bogus", "spec.ports[0].x"); removed when <paramref name="prune"/>.</summary>
    /// <param name="directives">A strategic merge patch: its "$setElementOrder/..." and "$patch" keys are directives, not fields.</param>
    public static List<string> UnknownFields(ObjectSchemas schemas, JsonObject schema, JsonNode? value, bool prune, bool directives = false)
    {
        var found = new List<string>();
        Unknown(schemas, schema, value, string.Empty, prune, directives, found);
        return found;
    }

    public static List<FieldCause> Validate(ObjectSchemas schemas, JsonObject schema, JsonNode? value)
    {
        var causes = new List<FieldCause>();
        Check(schemas, schema, value, string.Empty, causes);
        return causes;
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static bool IsIntOrString(JsonObject schema) =>
        schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true || schema["format"]?.GetValue<string>() == "int-or-string";

    private static bool HoldsAnything(JsonObject schema) =>
        schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true
        || (schema["properties"] is null && schema["additionalProperties"] is null);

    private static void Unknown(ObjectSchemas schemas, JsonObject schema, JsonNode? value, string path, bool prune, bool directives, List<string> found)
    {
        schema = schemas.Resolve(schema);
        if (IsIntOrString(schema))
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj when !HoldsAnything(schema):
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (name, child) in obj.ToList())
                {
                    if (directives && name.StartsWith('$'))
                    {
                        continue;
                    }

                    if (properties?[name] is JsonObject declared)
                    {
                        Unknown(schemas, declared, child, Child(path, name), prune, directives, found);
                    }
                    else if (additional is not null)
                    {
                        Unknown(schemas, additional, child, Child(path, name), prune, directives, found);
                    }
                    else
                    {
                        found.Add(Child(path, name));
                        if (prune)
                        {
                            obj.Remove(name);
                        }
                    }
                }

                break;
            case JsonArray list when schema["items"] is JsonObject items:
                for (var i = 0; i < list.Count; i++)
                {
                    Unknown(schemas, items, list[i], $"{path}[{i}]", prune, directives, found);
                }

                break;
        }
    }

    private static void Check(ObjectSchemas schemas, JsonObject schema, JsonNode? value, string path, List<FieldCause> causes)
    {
        schema = schemas.Resolve(schema);

        // A null is an absent field to the decoder (and a deletion in a patch).
        if (value is null || IsIntOrString(schema))
        {
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        if (type is not null && !Matches(type, value, kind))
        {
            causes.Add(FieldCause.TypeInvalid(path, JsonTypeName(kind), type));
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var required in schema["required"]?.AsArray() ?? [])
                {
                    var name = required!.GetValue<string>();
                    if (obj[name] is null)
                    {
                        causes.Add(FieldCause.Required(Child(path, name)));
                    }
                }

                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (name, child) in obj)
                {
                    if (properties?[name] is JsonObject declared)
                    {
                        Check(schemas, declared, child, Child(path, name), causes);
                    }
                    else if (additional is not null)
                    {
                        Check(schemas, additional, child, Child(path, name), causes);
                    }
                }

                break;
            case JsonArray list:
                if (schema["maxItems"] is JsonValue max && list.Count > (long)Number(max))
                {
                    causes.Add(FieldCause.TooMany(path, list.Count, (long)Number(max)));
                }

                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        Check(schemas, items, list[i], $"{path}[{i}]", causes);
                    }
                }

                break;
            case JsonValue scalar:
                CheckScalar(schema, scalar, kind, path, causes);
                break;
        }
    }

    private static void CheckScalar(JsonObject schema, JsonValue scalar, JsonValueKind kind, string path, List<FieldCause> causes)
    {
        var text = kind == JsonValueKind.String ? scalar.GetValue<string>() : scalar.ToJsonString();
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, scalar)))
        {
            causes.Add(FieldCause.NotSupported(path, text, allowed.Select(a => a!.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : a.ToJsonString())));
        }

        if (kind == JsonValueKind.String)
        {
            if (schema["maxLength"] is JsonValue maxLength && text.Length > (long)Number(maxLength))
            {
                causes.Add(FieldCause.TooLong(path, (long)Number(maxLength)));
            }

            if (schema["minLength"] is JsonValue minLength && text.Length < (long)Number(minLength))
            {
                causes.Add(FieldCause.Invalid(path, text, $"{path} in body should be at least {(long)Number(minLength)} chars long"));
            }

            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                causes.Add(FieldCause.Invalid(path, text, $"{path} in body should match '{pattern}'"));
            }
        }
        else if (kind == JsonValueKind.Number && schema["minimum"] is JsonValue minimum && Number(scalar) < Number(minimum))
        {
            causes.Add(FieldCause.Invalid(path, text, $"{path} in body should be greater than or equal to {minimum.ToJsonString()}"));
        }
    }

    private static bool Matches(string type, JsonNode value, JsonValueKind kind) => type switch
    {
        "object" => kind == JsonValueKind.Object,
        "array" => kind == JsonValueKind.Array,
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "integer" => kind == JsonValueKind.Number && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        "number" => kind == JsonValueKind.Number,
        _ => true,
    };

    private static string JsonTypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => "number",
        _ => "null",
    };

    // A number however it was made (parsed text, an int or a long from code): GetValue<double> only reads the first.
    private static double Number(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
