using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DnsMcs.Dns;
using DnsMcs.Zone.Explain;

namespace DnsMcs.Explain;

/// <summary>
/// An <see cref="Explanation"/> as one JSON object, for tools (<c>explain --output json</c> and /debug/explain):
/// <c>name</c>, <c>type</c>, <c>rcode</c>, <c>answer</c> and <c>additional</c> (each record with its <c>rule</c> and
/// <c>from</c> objects), <c>authority</c>, <c>reason</c> (null for a positive answer) and <c>notes</c>.
/// </summary>
internal static class ExplanationJson
{
    // Reasons hold <svc> and quotes: keep them readable; the output is JSON for tools, never embedded in HTML.
    private static readonly JavaScriptEncoder Relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static string Write(Explanation explanation, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = Relaxed }))
        {
            json.WriteStartObject();
            json.WriteString("name", explanation.Name);
            json.WriteString("type", AnswerRecord.TypeName(explanation.Type));
            json.WriteString("rcode", explanation.ResponseCodeText);
            WriteRecords(json, "answer", explanation.Answer);
            json.WriteStartArray("authority");
            foreach (var record in explanation.Authority)
            {
                json.WriteStartObject();
                WriteRecord(json, record);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteRecords(json, "additional", explanation.Additional);
            if (explanation.Reason is null)
            {
                json.WriteNull("reason");
            }
            else
            {
                json.WriteString("reason", explanation.Reason);
            }

            json.WriteStartArray("notes");
            foreach (var note in explanation.Notes)
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An error as the same kind of object: <c>{"error": "..."}</c>.</summary>
    public static string Error(string message)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Relaxed }))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteRecords(Utf8JsonWriter json, string property, IReadOnlyList<ExplainedRecord> records)
    {
        json.WriteStartArray(property);
        foreach (var explained in records)
        {
            json.WriteStartObject();
            WriteRecord(json, explained.Record);
            json.WriteString("rule", explained.Rule);
            json.WriteStartArray("from");
            foreach (var source in explained.From)
            {
                json.WriteStartObject();
                json.WriteString("kind", source.Kind);
                json.WriteString("namespace", source.Namespace);
                json.WriteString("name", source.Name);
                WriteOptional(json, "cluster", source.Cluster);
                WriteOptional(json, "field", source.Field);
                WriteOptional(json, "detail", source.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteRecord(Utf8JsonWriter json, AnswerRecord record)
    {
        json.WriteString("record", record.ToString());
        json.WriteString("name", record.Owner);
        json.WriteString("type", AnswerRecord.TypeName(record.Type));
        json.WriteNumber("ttl", record.Ttl);
        json.WriteString("data", record.Data);
    }

    private static void WriteOptional(Utf8JsonWriter json, string property, string? value)
    {
        if (value is null)
        {
            json.WriteNull(property);
        }
        else
        {
            json.WriteString(property, value);
        }
    }
}
