using System.Globalization;
using System.Text;
using Ars = ARSoft.Tools.Net.Dns;

namespace DnsMcs.Dns;

/// <summary>
/// A second, independent decoder: every response a test reads is parsed by our <see cref="DnsMessage"/> and by
/// ARSoft.Tools.Net, and the two must agree on the header, the question, every record (as zone-file text) and
/// the OPT record. A disagreement, or a message ARSoft refuses, throws <see cref="DnsOracleException"/>, so a
/// test that decodes through here fails on wire bytes only one implementation accepts.
/// </summary>
public static class DnsOracle
{
    public static DnsMessage Decode(ReadOnlySpan<byte> wire)
    {
        var ours = DnsMessage.Parse(wire);
        Ars.DnsMessage theirs;
        try
        {
            theirs = Ars.DnsMessage.Parse(new ArraySegment<byte>(wire.ToArray()));
        }
        catch (Exception e)
        {
            throw new DnsOracleException($"ARSoft.Tools.Net cannot decode a message we parsed ({e.GetType().Name}: {e.Message}):\n{ours}", e);
        }

        var differences = Compare(ours, theirs);
        if (differences.Count > 0)
        {
            throw new DnsOracleException($"ARSoft.Tools.Net reads this message differently:\n  {string.Join("\n  ", differences)}\nours:\n{ours}");
        }

        return ours;
    }

    private static List<string> Compare(DnsMessage ours, Ars.DnsMessage theirs)
    {
        var differences = new List<string>();
        void Same<T>(string what, T mine, T other)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, other))
            {
                differences.Add($"{what}: ours {mine}, ARSoft {other}");
            }
        }

        Same("id", ours.Id, theirs.TransactionID);
        Same("QR", ours.IsResponse, !theirs.IsQuery);
        Same("opcode", (int)ours.Opcode, (int)theirs.OperationCode);
        Same("AA", ours.Authoritative, theirs.IsAuthoritiveAnswer);
        Same("TC", ours.Truncated, theirs.IsTruncated);
        Same("RD", ours.RecursionDesired, theirs.IsRecursionDesired);
        Same("RA", ours.RecursionAvailable, theirs.IsRecursionAllowed);
        Same("AD", ours.AuthenticData, theirs.IsAuthenticData);
        Same("CD", ours.CheckingDisabled, theirs.IsCheckingDisabled);
        Same("rcode", (int)ours.ResponseCode, (int)theirs.ReturnCode);
        Same("questions", Lines(ours.Questions.Select(q => $"{q.Name} {(ushort)q.Type} {(ushort)q.Class}")),
            Lines(theirs.Questions.Select(q => $"{q.Name} {(ushort)q.RecordType} {(ushort)q.RecordClass}")));
        Same("answer", Lines(ours.Answers), Lines(theirs.AnswerRecords));
        Same("authority", Lines(ours.Authorities), Lines(theirs.AuthorityRecords));
        Same("additional", Lines(ours.Additionals), Lines(theirs.AdditionalRecords.Where(r => r is not Ars.OptRecord)));
        Same("OPT", ours.Opt is { } opt ? $"{opt.UdpPayloadSize} v{opt.Version} do={opt.DnssecOk} options={opt.Options.Count}" : "none",
            theirs.EDnsOptions is { } theirOpt ? $"{theirOpt.UdpPayloadSize} v{theirOpt.Version} do={theirOpt.IsDnsSecOk} options={theirOpt.Options.Count}" : "none");
        return differences;
    }

    private static string Lines(IEnumerable<object> items) => string.Join(" | ", items.Select(i => Plain(Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty)));

    /// <summary>
    /// The two libraries present odd bytes in names differently (we escape "\032", ARSoft writes the character;
    /// bytes past ASCII become '?' there): compare with escapes undone and anything outside printable ASCII as '?'.
    /// </summary>
    private static string Plain(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3]))
            {
                c = (char)int.Parse(text.AsSpan(i + 1, 3), CultureInfo.InvariantCulture);
                i += 3;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                c = text[++i];
            }

            builder.Append(c is < ' ' or > '~' ? '?' : c);
        }

        return builder.ToString();
    }
}
