using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Dns;

/// <summary>Reads the one-line zone-file form that <see cref="DnsRecord.ToString"/> writes.</summary>
internal static class DnsRecordText
{
    public static DnsRecord? Parse(string line, out string? error)
    {
        error = null;
        var tokens = DnsPresentation.Tokenize(line);
        if (tokens is null)
        {
            error = "unterminated quote or escape";
            return null;
        }

        if (tokens.Count < 4 || tokens.Take(4).Any(t => t.Quoted))
        {
            error = "expected: name ttl class type rdata";
            return null;
        }

        if (!uint.TryParse(tokens[1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl))
        {
            error = $"bad TTL '{tokens[1].Text}'";
            return null;
        }

        if (!DnsPresentation.TryParseClass(tokens[2].Text, out var dnsClass))
        {
            error = $"unknown class '{tokens[2].Text}'";
            return null;
        }

        if (!DnsPresentation.TryParseType(tokens[3].Text, out var type))
        {
            error = $"unknown type '{tokens[3].Text}'";
            return null;
        }

        try
        {
            var data = ParseData(type, tokens.Skip(4).ToList(), out error);
            return data is null ? null : new DnsRecord(tokens[0].Text, type, dnsClass, ttl, data);
        }
        catch (ArgumentException e)
        {
            // Name validation reports through ArgumentException; here it is a format problem.
            error = e.Message;
            return null;
        }
    }

    private static DnsRecordData? ParseData(DnsRecordType type, List<(string Text, bool Quoted)> fields, out string? error)
    {
        error = null;
        if (fields.Count > 0 && fields[0] is ("\\#", false))
        {
            return ParseGeneric(type, fields, out error);
        }

        if (type != DnsRecordType.TXT && fields.Any(f => f.Quoted))
        {
            error = "unexpected quoted string";
            return null;
        }

        switch (type)
        {
            case DnsRecordType.A or DnsRecordType.AAAA:
                if (fields.Count != 1 || !TryParseAddress(fields[0].Text, type, out var address))
                {
                    error = $"bad {type} address";
                    return null;
                }

                return new DnsAddressData(address);
            case DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR:
                if (fields.Count != 1)
                {
                    error = "expected one name";
                    return null;
                }

                return new DnsNameData(fields[0].Text);
            case DnsRecordType.SOA:
                var soaNumbers = new uint[5];
                if (fields.Count != 7 || !TryParseNumbers(fields, 2, soaNumbers, uint.MaxValue))
                {
                    error = "expected: mname rname serial refresh retry expire minimum";
                    return null;
                }

                return new DnsSoaData(fields[0].Text, fields[1].Text, soaNumbers[0], soaNumbers[1], soaNumbers[2], soaNumbers[3], soaNumbers[4]);
            case DnsRecordType.SRV:
                var srvNumbers = new uint[3];
                if (fields.Count != 4 || !TryParseNumbers(fields, 0, srvNumbers, ushort.MaxValue))
                {
                    error = "expected: priority weight port target";
                    return null;
                }

                return new DnsSrvData((ushort)srvNumbers[0], (ushort)srvNumbers[1], (ushort)srvNumbers[2], fields[3].Text);
            case DnsRecordType.TXT:
                var strings = new List<string>();
                foreach (var field in fields)
                {
                    var decoded = DnsPresentation.DecodeCharacterString(field.Text);
                    if (decoded is null)
                    {
                        error = $"bad character-string '{field.Text}'";
                        return null;
                    }

                    strings.Add(decoded);
                }

                if (strings.Count == 0)
                {
                    error = "TXT needs at least one character-string";
                    return null;
                }

                return new DnsTxtData(strings);
            default:
                error = $"{DnsPresentation.TypeToText(type)} data must be written in RFC 3597 form: \\# length hex";
                return null;
        }
    }

    /// <summary>RFC 3597 §5: <c>\# length hex...</c>; for a known type the bytes are decoded into its typed form.</summary>
    private static DnsRecordData? ParseGeneric(DnsRecordType type, List<(string Text, bool Quoted)> fields, out string? error)
    {
        error = null;
        if (fields.Count < 2 || fields.Any(f => f.Quoted)
            || !int.TryParse(fields[1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > ushort.MaxValue)
        {
            error = "expected: \\# length hex";
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(string.Concat(fields.Skip(2).Select(f => f.Text)));
        }
        catch (FormatException)
        {
            error = "bad hex in \\# data";
            return null;
        }

        if (bytes.Length != length)
        {
            error = $"\\# length {length} but {bytes.Length} bytes of hex";
            return null;
        }

        var probe = new DnsUnknownData(bytes);
        if (DnsRecord.DataFits(type, probe))
        {
            return probe;
        }

        try
        {
            var reader = new DnsWireReader(bytes);
            return reader.ReadData(type, bytes.Length);
        }
        catch (DnsFormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static bool TryParseNumbers(List<(string Text, bool Quoted)> fields, int first, uint[] values, uint max)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!uint.TryParse(fields[first + i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] > max)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Strict: IPAddress.TryParse alone would take "10.1" as 10.0.0.1 or an AAAA with a scope.</summary>
    private static bool TryParseAddress(string text, DnsRecordType type, out IPAddress address)
    {
        address = IPAddress.None;
        if (type == DnsRecordType.A)
        {
            var parts = text.Split('.');
            if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)))
            {
                return false;
            }
        }
        else if (!text.Contains(':', StringComparison.Ordinal) || text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        var family = type == DnsRecordType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != family)
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
