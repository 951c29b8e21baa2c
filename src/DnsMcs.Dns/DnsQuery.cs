using System.Buffers.Binary;

namespace DnsMcs.Dns;

/// <summary>What the listener does with a packet after parsing.</summary>
public enum DnsQueryStatus : byte
{
    /// <summary>A well-formed query with one question: answer it.</summary>
    Ok,

    /// <summary>Not worth a reply: shorter than a header, or a response (QR=1).</summary>
    Drop,

    /// <summary>The header was read but the rest is malformed: reply FORMERR (with the question if it was read).</summary>
    FormErr,

    /// <summary>An opcode other than QUERY: reply NOTIMP (with the question and OPT when they were read).</summary>
    NotImp,
}

/// <summary>
/// The parts of a query the responder needs, read without allocating: header fields, the single
/// question (its name stays in the packet, always at offset 12), and the EDNS OPT record if any.
/// </summary>
public readonly struct DnsQuery
{
    /// <summary>Where the question name starts: right after the header.</summary>
    public const int NameOffset = DnsHeader.Size;

    /// <summary>The UDP payload size assumed without EDNS (RFC 1035 §4.2.1).</summary>
    public const int ClassicUdpSize = 512;

    public ushort Id { get; init; }

    public ushort Flags { get; init; }

    /// <summary>Length of the question name in wire form, root label included.</summary>
    public int NameLength { get; init; }

    public DnsRecordType Type { get; init; }

    public ushort Class { get; init; }

    /// <summary>Offset just past the question (name, type, class).</summary>
    public int QuestionEnd => NameOffset + NameLength + 4;

    public bool HasEdns { get; init; }

    /// <summary>The requestor's UDP payload size from OPT; never below 512.</summary>
    public ushort EdnsUdpSize { get; init; }

    public byte EdnsVersion { get; init; }

    /// <summary>The DNSSEC OK bit, copied to the response (RFC 3225 §3).</summary>
    public bool EdnsDnssecOk { get; init; }

    public bool RecursionDesired => (Flags & DnsHeader.RdFlag) != 0;

    public bool CheckingDisabled => (Flags & DnsHeader.CdFlag) != 0;

    public DnsOpcode Opcode => DnsHeader.GetOpcode(Flags);

    /// <summary>The question name as it sits in the packet (the client's spelling).</summary>
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> packet) => packet.Slice(NameOffset, NameLength);

    /// <summary>True when the question was read (it is repeated in any reply, errors included).</summary>
    public bool HasQuestion => NameLength > 0;

    /// <summary>
    /// Parses a query. The question name must be uncompressed (it is the first name in the message,
    /// so a pointer could only point into the header). Records in the answer and authority sections
    /// are skipped; in the additional section at most one OPT is allowed, owned by the root (RFC 6891 §6.1.1).
    /// Whatever the status, <paramref name="query"/> holds what was read: the question when it parsed
    /// (<see cref="HasQuestion"/>) and the OPT when one was seen (<see cref="HasEdns"/>), so an error reply can
    /// repeat the question and carry OPT (RFC 6891 §7). An opcode other than QUERY is read the same way.
    /// </summary>
    public static DnsQueryStatus Parse(ReadOnlySpan<byte> packet, out DnsQuery query)
    {
        query = default;
        if (packet.Length < DnsHeader.Size)
        {
            return DnsQueryStatus.Drop;
        }

        var id = DnsHeader.ReadId(packet);
        var flags = DnsHeader.ReadFlags(packet);
        query = new DnsQuery { Id = id, Flags = flags };
        if ((flags & DnsHeader.QrFlag) != 0)
        {
            return DnsQueryStatus.Drop;
        }

        var malformed = ParseSections(packet, ref query);
        if (DnsHeader.GetOpcode(flags) != DnsOpcode.Query)
        {
            return DnsQueryStatus.NotImp;
        }

        return malformed ? DnsQueryStatus.FormErr : DnsQueryStatus.Ok;
    }

    /// <summary>Reads the question and the OPT record into <paramref name="query"/>; true when something is malformed.</summary>
    private static bool ParseSections(ReadOnlySpan<byte> packet, ref DnsQuery query)
    {
        if (DnsHeader.ReadQuestionCount(packet) != 1
            || !DnsName.TryMeasureUncompressed(packet, NameOffset, out var nameLength)
            || NameOffset + nameLength + 4 > packet.Length)
        {
            return true;
        }

        var pos = NameOffset + nameLength;
        query = query with
        {
            NameLength = nameLength,
            Type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]),
            Class = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]),
            EdnsUdpSize = ClassicUdpSize,
        };
        pos += 4;

        int records = DnsHeader.ReadAnswerCount(packet) + DnsHeader.ReadAuthorityCount(packet);
        int additional = DnsHeader.ReadAdditionalCount(packet);
        for (var i = 0; i < records + additional; i++)
        {
            var owner = pos;
            pos = DnsName.Skip(packet, pos);
            if (pos < 0 || pos + 10 > packet.Length)
            {
                return true;
            }

            var rrType = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
            var rrClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(pos + 4)..]);
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 8)..]);
            pos += 10;
            if (rrType == DnsRecordType.OPT && !query.HasEdns && i >= records)
            {
                // The first OPT of the additional section counts, even if it turns out malformed: the FORMERR then carries OPT.
                query = query with
                {
                    HasEdns = true,
                    EdnsUdpSize = Math.Max(rrClass, (ushort)ClassicUdpSize),
                    EdnsVersion = (byte)(ttl >> 16),
                    EdnsDnssecOk = (ttl & 0x8000) != 0,
                };
                if (pos - 10 - owner != 1 || packet[owner] != 0)
                {
                    return true;
                }
            }
            else if (rrType == DnsRecordType.OPT)
            {
                return true; // a second OPT, or one in the answer or authority section
            }

            if (pos + rdLength > packet.Length)
            {
                return true;
            }

            if (rrType == DnsRecordType.OPT && !OptionsAreWellFormed(packet.Slice(pos, rdLength)))
            {
                return true;
            }

            pos += rdLength;
        }

        return false;
    }

    private static bool OptionsAreWellFormed(ReadOnlySpan<byte> rdata)
    {
        var pos = 0;
        while (pos < rdata.Length)
        {
            if (pos + 4 > rdata.Length)
            {
                return false;
            }

            pos += 4 + BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 2)..]);
        }

        return pos == rdata.Length;
    }
}
