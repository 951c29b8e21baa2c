using System.Globalization;
using System.Text;

namespace DnsMcs.Dns;

/// <summary>Zone-file (presentation) spellings shared by records and messages (RFC 1035 §5.1, RFC 3597 §5).</summary>
internal static class DnsPresentation
{
    /// <summary>Validates a name and returns it with its trailing dot; escapes are normalised, letter case is kept.</summary>
    public static string CanonicalName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        Span<byte> wire = stackalloc byte[DnsName.MaxLength];
        if (!DnsName.TryEncode(name, wire, out var written, out var error))
        {
            throw new ArgumentException($"'{name}' is not a valid domain name: {error}", parameterName);
        }

        return DnsName.ToText(wire[..written]);
    }

    public static string TypeToText(DnsRecordType type) => type switch
    {
        DnsRecordType.A => "A",
        DnsRecordType.NS => "NS",
        DnsRecordType.CNAME => "CNAME",
        DnsRecordType.SOA => "SOA",
        DnsRecordType.PTR => "PTR",
        DnsRecordType.MX => "MX",
        DnsRecordType.TXT => "TXT",
        DnsRecordType.AAAA => "AAAA",
        DnsRecordType.SRV => "SRV",
        DnsRecordType.OPT => "OPT",
        DnsRecordType.AXFR => "AXFR",
        DnsRecordType.ANY => "ANY",
        _ => "TYPE" + ((ushort)type).ToString(CultureInfo.InvariantCulture), // RFC 3597 §5
    };

    public static string ClassToText(DnsClass dnsClass) => dnsClass switch
    {
        DnsClass.IN => "IN",
        DnsClass.CH => "CH",
        DnsClass.ANY => "ANY",
        _ => "CLASS" + ((ushort)dnsClass).ToString(CultureInfo.InvariantCulture),
    };

    public static bool TryParseType(string text, out DnsRecordType type)
    {
        foreach (var candidate in KnownTypes)
        {
            if (string.Equals(TypeToText(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        if (TryParseGeneric(text, "TYPE", out var value))
        {
            type = (DnsRecordType)value;
            return true;
        }

        return false;
    }

    public static bool TryParseClass(string text, out DnsClass dnsClass)
    {
        foreach (var candidate in KnownClasses)
        {
            if (string.Equals(ClassToText(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                dnsClass = candidate;
                return true;
            }
        }

        dnsClass = default;
        if (TryParseGeneric(text, "CLASS", out var value))
        {
            dnsClass = (DnsClass)value;
            return true;
        }

        return false;
    }

    private static readonly DnsRecordType[] KnownTypes =
    [
        DnsRecordType.A, DnsRecordType.NS, DnsRecordType.CNAME, DnsRecordType.SOA, DnsRecordType.PTR, DnsRecordType.MX,
        DnsRecordType.TXT, DnsRecordType.AAAA, DnsRecordType.SRV, DnsRecordType.OPT, DnsRecordType.AXFR, DnsRecordType.ANY,
    ];

    private static readonly DnsClass[] KnownClasses = [DnsClass.IN, DnsClass.CH, DnsClass.ANY];

    private static bool TryParseGeneric(string text, string prefix, out ushort value)
    {
        value = 0;
        return text.Length > prefix.Length
            && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Appends a character-string in double quotes, escaping quote, backslash and non-printable bytes.</summary>
    public static void AppendQuoted(StringBuilder builder, string bytes)
    {
        builder.Append('"');
        foreach (var c in bytes)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c is < ' ' or > '~')
            {
                builder.Append('\\').Append(((int)c).ToString("D3", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
    }

    /// <summary>Decodes the escapes of a character-string token (quotes already removed); null when malformed or over 255 bytes.</summary>
    public static string? DecodeCharacterString(string token)
    {
        var builder = new StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (c == '\\')
            {
                if (i + 1 >= token.Length)
                {
                    return null;
                }

                if (char.IsAsciiDigit(token[i + 1]))
                {
                    if (i + 3 >= token.Length || !char.IsAsciiDigit(token[i + 2]) || !char.IsAsciiDigit(token[i + 3]))
                    {
                        return null;
                    }

                    var value = ((token[i + 1] - '0') * 100) + ((token[i + 2] - '0') * 10) + (token[i + 3] - '0');
                    if (value > 255)
                    {
                        return null;
                    }

                    builder.Append((char)value);
                    i += 3;
                }
                else
                {
                    builder.Append(token[++i]);
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Length <= 255 && !builder.ToString().Any(ch => ch > 0xFF) ? builder.ToString() : null;
    }

    /// <summary>
    /// Splits a zone-file line on blanks. A quoted string is one token (flagged as quoted, quotes removed,
    /// escapes kept); a backslash keeps the next character in the token.
    /// </summary>
    public static List<(string Text, bool Quoted)>? Tokenize(string line)
    {
        var tokens = new List<(string, bool)>();
        var i = 0;
        while (i < line.Length)
        {
            if (char.IsWhiteSpace(line[i]))
            {
                i++;
                continue;
            }

            var quoted = line[i] == '"';
            var start = quoted ? ++i : i;
            while (i < line.Length && (quoted ? line[i] != '"' : !char.IsWhiteSpace(line[i]) && line[i] != '"'))
            {
                i += line[i] == '\\' ? 2 : 1;
            }

            if (i > line.Length || (quoted && i >= line.Length))
            {
                return null;
            }

            tokens.Add((line[start..i], quoted));
            if (quoted)
            {
                i++;
            }
        }

        return tokens;
    }
}
