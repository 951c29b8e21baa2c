using System.Text;
using DnsMcs.Dns;
using DnsMcs.Zone.Explain;

namespace DnsMcs.Explain;

/// <summary>
/// An <see cref="Explanation"/> for people: the answer line as dig would summarise it, then each record as a zone-file
/// line with its rule and the objects behind it, the authority and additional sections, the reason and any notes.
/// </summary>
internal static class ExplanationText
{
    public static string Write(Explanation explanation)
    {
        var text = new StringBuilder();
        var count = explanation.Answer.Count;
        text.Append(explanation.Name.TrimEnd('.')).Append(' ').Append(AnswerRecord.TypeName(explanation.Type)).Append(": ")
            .Append(explanation.ResponseCodeText)
            .Append(count == 0 ? explanation.IsNoData ? ", no records (NODATA)" : string.Empty : count == 1 ? ", 1 record" : $", {count} records")
            .AppendLine();
        if (explanation.Reason is not null)
        {
            text.Append("  why: ").AppendLine(explanation.Reason);
        }

        WriteRecords(text, explanation.Answer);
        if (explanation.Additional.Count > 0)
        {
            text.AppendLine("additional:");
            WriteRecords(text, explanation.Additional);
        }

        foreach (var record in explanation.Authority)
        {
            text.Append("authority: ").AppendLine(record.ToString());
        }

        foreach (var note in explanation.Notes)
        {
            text.Append("note: ").AppendLine(note);
        }

        return text.ToString();
    }

    private static void WriteRecords(StringBuilder text, IReadOnlyList<ExplainedRecord> records)
    {
        foreach (var explained in records)
        {
            text.AppendLine(explained.Record.ToString());
            text.Append("    rule: ").AppendLine(explained.Rule);
            foreach (var source in explained.From)
            {
                text.Append("    from: ").AppendLine(source.ToString());
            }
        }
    }
}
