using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace DnsMcs.Dns;

/// <summary>
/// Reads a DNS response into records in presentation form: the record types the zone serves (A, AAAA, SRV,
/// SOA, NS, TXT; anything else as RFC 3597 hex). Written for explain, which reads back the responder's own
/// output, so not tuned for packets from the network; malformed bytes still end in a <see cref="FormatException"/>,
/// never a loop.
/// </summary>
public static class ResponseReader
{
    public static DecodedResponse Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < DnsHeader.Size)
        {
            throw new FormatException("the response is shorter than a DNS header");
        }

        var flags = DnsHeader.ReadFlags(message);
        var offset = DnsHeader.Size;
        for (var i = 0; i < DnsHeader.ReadQuestionCount(message); i++)
        {
            offset = DnsName.Skip(message, offset) + 4;
        }

        var answers = ReadSection(message, DnsHeader.ReadAnswerCount(message), ref offset);
        var authorities = ReadSection(message, DnsHeader.ReadAuthorityCount(message), ref offset);
        var additionals = ReadSection(message, DnsHeader.ReadAdditionalCount(message), ref offset);
        return new DecodedResponse((DnsResponseCode)(flags & DnsHeader.RcodeMask), flags, answers, authorities, additionals);
    }

    private static List<AnswerRecord> ReadSection(ReadOnlySpan<byte> message, int count, ref int offset)
    {
        var records = new List<AnswerRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var owner = ReadName(message, ref offset);
            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            var start = offset + 10;
            var end = start + length;
            if (end > message.Length)
            {
                throw new FormatException("a record runs past the end of the response");
            }

            offset = end;
            if (type == DnsRecordType.OPT)
            {
                continue; // EDNS, not a record of the zone
            }

            records.Add(ReadData(message, owner, type, ttl, start, end));
        }

        return records;
    }

    private static AnswerRecord ReadData(ReadOnlySpan<byte> message, string owner, DnsRecordType type, uint ttl, int start, int end)
    {
        var data = message[start..end];
        switch (type)
        {
            case DnsRecordType.A when data.Length == 4:
            case DnsRecordType.AAAA when data.Length == 16:
                var address = new IPAddress(data);
                return new AnswerRecord(owner, type, ttl, address.ToString()) { Address = address };
            case DnsRecordType.SRV when data.Length > 6:
                var priority = BinaryPrimitives.ReadUInt16BigEndian(data);
                var weight = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
                var port = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
                var targetOffset = start + 6;
                var target = ReadName(message, ref targetOffset);
                return new AnswerRecord(owner, type, ttl, string.Create(CultureInfo.InvariantCulture, $"{priority} {weight} {port} {target}"))
                {
                    Priority = priority, Weight = weight, Port = port, Target = target,
                };
            case DnsRecordType.NS:
                var nsOffset = start;
                var host = ReadName(message, ref nsOffset);
                return new AnswerRecord(owner, type, ttl, host) { Target = host };
            case DnsRecordType.SOA:
                var pos = start;
                var mname = ReadName(message, ref pos);
                var rname = ReadName(message, ref pos);
                var numbers = new uint[5];
                for (var i = 0; i < numbers.Length; i++)
                {
                    numbers[i] = BinaryPrimitives.ReadUInt32BigEndian(message[(pos + (4 * i))..]);
                }

                return new AnswerRecord(owner, type, ttl, $"{mname} {rname} {string.Join(' ', numbers)}");
            case DnsRecordType.TXT:
                var text = new StringBuilder();
                var at = 0;
                while (at < data.Length)
                {
                    var count = data[at];
                    text.Append(text.Length == 0 ? "\"" : " \"").Append(Encoding.ASCII.GetString(data.Slice(at + 1, Math.Min(count, data.Length - at - 1)))).Append('"');
                    at += count + 1;
                }

                return new AnswerRecord(owner, type, ttl, text.ToString());
            default:
                return new AnswerRecord(owner, type, ttl, $"\\# {data.Length} {Convert.ToHexString(data)}");
        }
    }

    /// <summary>A possibly compressed name at <paramref name="offset"/>, as text with a trailing dot; advances past it.</summary>
    private static string ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxLength];
        var written = 0;
        var pos = offset;
        var jumps = 0;
        int? after = null;
        while (true)
        {
            if (pos >= message.Length)
            {
                throw new FormatException("a name runs past the end of the response");
            }

            var length = message[pos];
            if ((length & 0xC0) == 0xC0)
            {
                if (pos + 1 >= message.Length || ++jumps > 64)
                {
                    throw new FormatException("a compression pointer is malformed or loops");
                }

                after ??= pos + 2;
                pos = ((length & 0x3F) << 8) | message[pos + 1];
                continue;
            }

            if (length == 0)
            {
                wire[written++] = 0;
                offset = after ?? pos + 1;
                return DnsName.ToText(wire[..written]);
            }

            if (length > DnsName.MaxLabelLength || pos + 1 + length > message.Length || written + 1 + length >= DnsName.MaxLength)
            {
                throw new FormatException("a label is malformed");
            }

            message.Slice(pos, length + 1).CopyTo(wire[written..]);
            written += length + 1;
            pos += length + 1;
        }
    }
}

/// <summary>The decoded response: rcode, header flags and the three sections (OPT left out).</summary>
public sealed record DecodedResponse(
    DnsResponseCode ResponseCode,
    ushort Flags,
    IReadOnlyList<AnswerRecord> Answers,
    IReadOnlyList<AnswerRecord> Authorities,
    IReadOnlyList<AnswerRecord> Additionals);
