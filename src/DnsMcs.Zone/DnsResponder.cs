using System.Buffers.Binary;
using DnsMcs.Dns;
using DnsMcs.Zone.Index;

namespace DnsMcs.Zone;

/// <summary>
/// Packet in, answer out, allocating nothing and taking no lock:
///   1. parse the header, the one question and the OPT record (malformed: FORMERR, or drop; another opcode:
///      NOTIMP); every error reply repeats the question when it was read and carries OPT when the query did (RFC 6891 §7);
///   2. copy header and question into the response (the answer repeats the question's spelling);
///   3. look the lowercased name up in the index (ClusterSetIndex.Find holds the grammar);
///   4. append the precompiled records for the type, or the SOA for a negative answer
///      (NXDOMAIN or NODATA, RFC 2308; SERVFAIL until every source has synced);
///   5. add OPT if the query had one (RFC 6891); truncate with TC=1 if it does not fit.
/// </summary>
public sealed class DnsResponder
{
    /// <summary>OPT with no options: root name, type, class, TTL, RDLENGTH.</summary>
    private const int OptSize = 11;

    /// <summary>The SOA as written here: pointer owner, fixed fields, compressed MNAME/RNAME, five numbers.</summary>
    private const int SoaSize = 54;

    private const uint SoaRefresh = 7200;
    private const uint SoaRetry = 1800;
    private const uint SoaExpire = 86400;

    private readonly ClusterSetIndex _index;
    private readonly ushort _maxUdpPayload;

    public DnsResponder(ClusterSetIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
        _maxUdpPayload = Math.Max(index.Options.MaxUdpPayload, (ushort)DnsQuery.ClassicUdpSize);
    }

    /// <summary>The smallest response buffer accepted: room for any question, an SOA and an OPT.</summary>
    public const int MinResponseBuffer = DnsQuery.ClassicUdpSize;

    /// <summary>Answers <paramref name="query"/> into <paramref name="response"/> (at least 512 bytes; 65535 for TCP to never truncate).</summary>
    public DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport)
    {
        if (response.Length < MinResponseBuffer)
        {
            throw new ArgumentException($"the response buffer must hold at least {MinResponseBuffer} bytes", nameof(response));
        }

        var status = DnsQuery.Parse(query, out var q);
        switch (status)
        {
            case DnsQueryStatus.Drop:
                return DnsResponse.Drop;
            case DnsQueryStatus.FormErr:
                return Error(q, query, response, DnsResponseCode.FormErr);
            case DnsQueryStatus.NotImp:
                return Error(q, query, response, DnsResponseCode.NotImp);
        }

        var limit = Math.Min(response.Length, transport == DnsTransport.Tcp ? RecordWriter.MaxMessage : UdpLimit(q));
        var questionEnd = q.QuestionEnd;
        if (questionEnd + OptSize > limit)
        {
            return Error(q, query, response, DnsResponseCode.ServFail); // cannot happen with a limit of 512 or more
        }

        query[..questionEnd].CopyTo(response);
        var flags = (ushort)(DnsHeader.QrFlag | (q.Flags & (DnsHeader.RdFlag | DnsHeader.CdFlag)));
        if (q.HasEdns && q.EdnsVersion != 0)
        {
            // RFC 6891 §6.1.3: we speak version 0 only.
            return Finish(q, response, questionEnd, flags, DnsResponseCode.BadVers, 0, 0, 0, limit);
        }

        Span<byte> name = stackalloc byte[DnsName.MaxLength];
        name = name[..q.NameLength];
        DnsName.ToLowerAscii(q.Name(query), name);

        NameNode node = default;
        ZoneContext? zone = null;
        var nameStatus = q.Class is (ushort)DnsClass.IN or (ushort)DnsClass.ANY ? _index.Find(name, out node, out zone) : NameStatus.OutOfZone;
        if (nameStatus == NameStatus.OutOfZone || q.Type is DnsRecordType.AXFR or (DnsRecordType)251)
        {
            // Not ours (we neither recurse nor forward), or a zone transfer, which we do not offer.
            return Finish(q, response, questionEnd, flags, DnsResponseCode.Refused, 0, 0, 0, limit);
        }

        var zoneOffset = DnsHeader.Size + q.NameLength - zone!.Wire.Length;
        if (nameStatus == NameStatus.Exists)
        {
            if (node.IsApex && q.Type is DnsRecordType.SOA or DnsRecordType.ANY)
            {
                WriteSoa(response[questionEnd..], zoneOffset, zone);
                return Finish(q, response, questionEnd + SoaSize, (ushort)(flags | DnsHeader.AaFlag), DnsResponseCode.NoError, 1, 0, 0, limit);
            }

            if (node.TryGet(q.Type, out var set))
            {
                var wire = set.Wire;
                if (questionEnd + wire.Length + OptSize > limit)
                {
                    return Truncated(q, response, questionEnd, (ushort)(flags | DnsHeader.AaFlag));
                }

                wire.CopyTo(response[questionEnd..]);
                return Finish(q, response, questionEnd + wire.Length, (ushort)(flags | DnsHeader.AaFlag), DnsResponseCode.NoError, set.Answers, 0, set.Additionals, limit);
            }
        }

        // Negative: NODATA (the name exists) or NXDOMAIN, with the SOA in Authority for negative caching
        // (RFC 2308 §3). Before the first full sync we cannot know, so SERVFAIL (not authoritative).
        WriteSoa(response[questionEnd..], zoneOffset, zone);
        if (!_index.IsSynced)
        {
            return Finish(q, response, questionEnd + SoaSize, flags, DnsResponseCode.ServFail, 0, 1, 0, limit);
        }

        var rcode = nameStatus == NameStatus.Exists ? DnsResponseCode.NoError : DnsResponseCode.NXDomain;
        return Finish(q, response, questionEnd + SoaSize, (ushort)(flags | DnsHeader.AaFlag), rcode, 0, 1, 0, limit);
    }

    /// <summary>RFC 6891 §6.2.5: the smaller of the requestor's size and ours, never below 512; 512 without EDNS.</summary>
    private int UdpLimit(in DnsQuery q) => q.HasEdns ? Math.Min(q.EdnsUdpSize, _maxUdpPayload) : DnsQuery.ClassicUdpSize;

    private DnsResponse Finish(in DnsQuery q, Span<byte> response, int length, ushort flags, DnsResponseCode rcode, ushort answers, ushort authorities, ushort additionals, int limit)
    {
        if (length + (q.HasEdns ? OptSize : 0) > limit)
        {
            return Truncated(q, response, q.QuestionEnd, flags);
        }

        if (q.HasEdns)
        {
            WriteOpt(response[length..], q, rcode);
            length += OptSize;
            additionals++;
        }

        DnsHeader.Write(response, q.Id, (ushort)(flags | ((ushort)rcode & DnsHeader.RcodeMask)), 1, answers, authorities, additionals);
        return new DnsResponse(length, rcode, q.Type, Truncated: false);
    }

    /// <summary>The answer does not fit: TC=1 and no records, so the client retries over TCP (RFC 2181 §9).</summary>
    private DnsResponse Truncated(in DnsQuery q, Span<byte> response, int questionEnd, ushort flags)
    {
        var length = questionEnd;
        ushort additionals = 0;
        if (q.HasEdns)
        {
            WriteOpt(response[length..], q, DnsResponseCode.NoError);
            length += OptSize;
            additionals = 1;
        }

        DnsHeader.Write(response, q.Id, (ushort)(flags | DnsHeader.TcFlag), 1, 0, 0, additionals);
        return new DnsResponse(length, DnsResponseCode.NoError, q.Type, Truncated: true);
    }

    /// <summary>
    /// FORMERR, NOTIMP or SERVFAIL before any lookup: the header, the question when it was read, and OPT when the
    /// query had one. The opcode is echoed; RD and CD only for QUERY, since their meaning belongs to the opcode
    /// (ISC's DNS compliance test, opcodeflg: a reply to an unknown opcode echoes no RD, CD or AD).
    /// </summary>
    private DnsResponse Error(in DnsQuery q, ReadOnlySpan<byte> query, Span<byte> response, DnsResponseCode rcode)
    {
        var echoed = q.Opcode == DnsOpcode.Query ? DnsHeader.OpcodeMask | DnsHeader.RdFlag | DnsHeader.CdFlag : DnsHeader.OpcodeMask;
        var flags = (ushort)(DnsHeader.QrFlag | (q.Flags & echoed) | ((ushort)rcode & DnsHeader.RcodeMask));
        var length = DnsHeader.Size;
        ushort questions = 0;
        if (q.HasQuestion)
        {
            query[DnsHeader.Size..q.QuestionEnd].CopyTo(response[DnsHeader.Size..]);
            length = q.QuestionEnd;
            questions = 1;
        }

        ushort additionals = 0;
        if (q.HasEdns)
        {
            WriteOpt(response[length..], q, rcode);
            length += OptSize;
            additionals = 1;
        }

        DnsHeader.Write(response, q.Id, flags, questions, 0, 0, additionals);
        return new DnsResponse(length, rcode, q.Type, Truncated: false);
    }

    private void WriteOpt(Span<byte> destination, in DnsQuery q, DnsResponseCode rcode)
    {
        destination[0] = 0; // root owner
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)DnsRecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], _maxUdpPayload);

        // TTL: extended RCODE (upper 8 bits of 12), version 0, DO copied from the query (RFC 3225 §3).
        var ttl = ((uint)rcode >> 4 << 24) | (q.EdnsDnssecOk ? 0x8000u : 0u);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(destination[9..], 0);
    }

    /// <summary>
    /// &lt;zone&gt; SOA ns.dns.&lt;zone&gt; hostmaster.&lt;zone&gt; serial 7200 1800 86400 ttl, TTL min(ttl, 300), every name a
    /// pointer to the zone's labels inside the question.
    /// </summary>
    private void WriteSoa(Span<byte> destination, int zoneOffset, ZoneContext zone)
    {
        var pointer = (ushort)(0xC000 | zoneOffset);
        BinaryPrimitives.WriteUInt16BigEndian(destination, pointer);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)DnsRecordType.SOA);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)DnsClass.IN);
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], zone.SoaTtl);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], SoaSize - 12);
        "\u0002ns\u0003dns"u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[19..], pointer);
        "\u000ahostmaster"u8.CopyTo(destination[21..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[32..], pointer);
        BinaryPrimitives.WriteUInt32BigEndian(destination[34..], _index.Serial);
        BinaryPrimitives.WriteUInt32BigEndian(destination[38..], SoaRefresh);
        BinaryPrimitives.WriteUInt32BigEndian(destination[42..], SoaRetry);
        BinaryPrimitives.WriteUInt32BigEndian(destination[46..], SoaExpire);
        BinaryPrimitives.WriteUInt32BigEndian(destination[50..], zone.Ttl);
    }
}
