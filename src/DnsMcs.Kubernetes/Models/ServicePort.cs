using System.Text.Json;
using System.Text.Json.Serialization;

namespace DnsMcs.Kubernetes.Models;

/// <summary>A port of a Service or ServiceImport (core/v1 ServicePort, mcs-api ServicePort).</summary>
public sealed class ServicePort
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public string? AppProtocol { get; set; }

    public int Port { get; set; }

    /// <summary>intOrString in the API: kept as its text.</summary>
    [JsonConverter(typeof(IntOrStringConverter))]
    public string? TargetPort { get; set; }

    public int? NodePort { get; set; }
}

/// <summary>Reads an intOrString value (a number or a string) as text, writes it back in the same kind.</summary>
public sealed class IntOrStringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException("expected a number or a string"),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
