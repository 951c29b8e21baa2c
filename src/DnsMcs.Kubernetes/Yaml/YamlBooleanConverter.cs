using System.Text.Json;
using System.Text.Json.Serialization;

namespace DnsMcs.Kubernetes.Yaml;

/// <summary>
/// A boolean from YAML scalars written as strings: true/True/TRUE and false/False/FALSE (the YAML 1.2 core schema's
/// spellings), or a JSON boolean. Anything else is refused, naming what was found.
/// </summary>
public sealed class YamlBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.String => reader.GetString() switch
            {
                "true" or "True" or "TRUE" => true,
                "false" or "False" or "FALSE" => false,
                var other => throw new JsonException($"expected true or false, not \"{other}\""),
            },
            _ => throw new JsonException($"expected true or false, not {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
