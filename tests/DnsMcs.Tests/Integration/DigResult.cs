using System.Text.RegularExpressions;

namespace DnsMcs.Tests.Integration;

/// <summary>
/// The parts of dig's output the tests look at: status, header flags, EDNS line, and the three sections as
/// zone-file lines with single spaces (the SOA serial replaced by <see cref="Serial"/>, it changes with every edit).
/// </summary>
internal sealed partial record DigResult(
    string Status,
    IReadOnlyList<string> Flags,
    string? Edns,
    IReadOnlyList<string> Answer,
    IReadOnlyList<string> Authority,
    IReadOnlyList<string> Additional,
    bool RetriedOverTcp,
    string? Transport,
    string Output)
{
    public const string Serial = "SERIAL";

    public bool HasFlag(string flag) => Flags.Contains(flag);

    public static DigResult Parse(string output)
    {
        var status = HeaderStatus().Match(output);
        var flags = HeaderFlags().Match(output);
        var edns = EdnsLine().Match(output);
        var server = ServerLine().Match(output);
        return new DigResult(
            status.Success ? status.Groups[1].Value : "NO ANSWER",
            flags.Success ? flags.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [],
            edns.Success ? edns.Groups[1].Value.Trim() : null,
            Section(output, "ANSWER"),
            Section(output, "AUTHORITY"),
            Section(output, "ADDITIONAL"),
            output.Contains("Truncated, retrying in TCP mode", StringComparison.Ordinal),
            server.Success ? server.Groups[1].Value : null,
            output);
    }

    public override string ToString() => Output;

    private static List<string> Section(string output, string name)
    {
        var records = new List<string>();
        var inSection = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith($";; {name} SECTION:", StringComparison.Ordinal))
            {
                inSection = true;
                continue;
            }

            if (!inSection)
            {
                continue;
            }

            if (line.Trim().Length == 0 || line.StartsWith(';'))
            {
                break;
            }

            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 6 && fields[3] == "SOA")
            {
                fields[6] = Serial;
            }

            records.Add(string.Join(' ', fields));
        }

        return records;
    }

    [GeneratedRegex(@"->>HEADER<<- opcode: \w+, status: (\w+)")]
    private static partial Regex HeaderStatus();

    [GeneratedRegex(@";; flags:([^;]*);")]
    private static partial Regex HeaderFlags();

    [GeneratedRegex(@"; EDNS: ([^\n]*)")]
    private static partial Regex EdnsLine();

    [GeneratedRegex(@";; SERVER: [^\n]*\((UDP|TCP)\)")]
    private static partial Regex ServerLine();
}
