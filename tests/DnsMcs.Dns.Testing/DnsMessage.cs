using System.Globalization;
using System.Text;

namespace DnsMcs.Dns;

/// <summary>
/// A whole DNS message in presentation form, for tests and tools (the query path uses <see cref="DnsQuery"/>
/// and precompiled bytes instead). The OPT record lives in <see cref="Opt"/>, never in <see cref="Additionals"/>.
/// </summary>
public sealed partial class DnsMessage
{
    public ushort Id { get; set; }

    /// <summary>The header flag word as on the wire, the low 4 bits being the header part of the rcode.</summary>
    public ushort Flags { get; set; }

    public bool IsResponse
    {
        get => GetFlag(DnsHeader.QrFlag);
        set => SetFlag(DnsHeader.QrFlag, value);
    }

    public DnsOpcode Opcode
    {
        get => DnsHeader.GetOpcode(Flags);
        set => Flags = (ushort)((Flags & ~DnsHeader.OpcodeMask) | (((int)value << DnsHeader.OpcodeShift) & DnsHeader.OpcodeMask));
    }

    public bool Authoritative
    {
        get => GetFlag(DnsHeader.AaFlag);
        set => SetFlag(DnsHeader.AaFlag, value);
    }

    public bool Truncated
    {
        get => GetFlag(DnsHeader.TcFlag);
        set => SetFlag(DnsHeader.TcFlag, value);
    }

    public bool RecursionDesired
    {
        get => GetFlag(DnsHeader.RdFlag);
        set => SetFlag(DnsHeader.RdFlag, value);
    }

    public bool RecursionAvailable
    {
        get => GetFlag(DnsHeader.RaFlag);
        set => SetFlag(DnsHeader.RaFlag, value);
    }

    public bool AuthenticData
    {
        get => GetFlag(DnsHeader.AdFlag);
        set => SetFlag(DnsHeader.AdFlag, value);
    }

    public bool CheckingDisabled
    {
        get => GetFlag(DnsHeader.CdFlag);
        set => SetFlag(DnsHeader.CdFlag, value);
    }

    /// <summary>
    /// The full 12-bit response code: the header's 4 bits below the OPT record's 8 extended bits
    /// (RFC 6891 §6.1.3). Setting a code above 15 needs <see cref="Opt"/>.
    /// </summary>
    public DnsResponseCode ResponseCode
    {
        get => (DnsResponseCode)(((Opt?.ExtendedRcode ?? 0) << 4) | (Flags & DnsHeader.RcodeMask));
        set
        {
            var code = (int)value;
            if (code > 0xFFF || (code > 0xF && Opt is null))
            {
                throw new InvalidOperationException($"response code {code} needs an OPT record (RFC 6891 §6.1.3)");
            }

            Flags = (ushort)((Flags & ~DnsHeader.RcodeMask) | (code & DnsHeader.RcodeMask));
            if (Opt is not null)
            {
                Opt.ExtendedRcode = (byte)(code >> 4);
            }
        }
    }

    public IList<DnsQuestion> Questions { get; } = new List<DnsQuestion>();

    public IList<DnsRecord> Answers { get; } = new List<DnsRecord>();

    public IList<DnsRecord> Authorities { get; } = new List<DnsRecord>();

    public IList<DnsRecord> Additionals { get; } = new List<DnsRecord>();

    public DnsOpt? Opt { get; set; }

    public IList<DnsRecord> Section(DnsSection section) => section switch
    {
        DnsSection.Answer => Answers,
        DnsSection.Authority => Authorities,
        DnsSection.Additional => Additionals,
        _ => throw new ArgumentOutOfRangeException(nameof(section)),
    };

    /// <summary>A standard query with one question, as a stub resolver would send it.</summary>
    public static DnsMessage CreateQuery(
        string name,
        DnsRecordType type,
        ushort id,
        bool edns = false,
        ushort udpSize = 1232,
        bool dnssecOk = false,
        bool recursionDesired = false,
        DnsClass dnsClass = DnsClass.IN)
    {
        var message = new DnsMessage { Id = id, RecursionDesired = recursionDesired };
        message.Questions.Add(new DnsQuestion(name, type, dnsClass));
        if (edns)
        {
            message.Opt = new DnsOpt { UdpPayloadSize = udpSize, DnssecOk = dnssecOk };
        }

        return message;
    }

    /// <summary>Dig-like text: header line, flags, then each section; for test failure messages and tools.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $";; opcode: {Opcode}, status: {ResponseCode}, id: {Id}\n;; flags:");
        foreach (var (set, flag) in new[]
        {
            (IsResponse, "qr"), (Authoritative, "aa"), (Truncated, "tc"), (RecursionDesired, "rd"),
            (RecursionAvailable, "ra"), (AuthenticData, "ad"), (CheckingDisabled, "cd"),
        })
        {
            if (set)
            {
                builder.Append(' ').Append(flag);
            }
        }

        builder.Append(CultureInfo.InvariantCulture, $"; QUERY: {Questions.Count}, ANSWER: {Answers.Count}, AUTHORITY: {Authorities.Count}, ADDITIONAL: {Additionals.Count + (Opt is null ? 0 : 1)}\n");
        if (Opt is not null)
        {
            builder.Append(";; ").Append(Opt).Append('\n');
        }

        builder.Append(";; QUESTION SECTION:\n");
        foreach (var question in Questions)
        {
            builder.Append(';').Append(question).Append('\n');
        }

        foreach (var (title, records) in new[] { ("ANSWER", Answers), ("AUTHORITY", Authorities), ("ADDITIONAL", Additionals) })
        {
            if (records.Count > 0)
            {
                builder.Append(";; ").Append(title).Append(" SECTION:\n");
                foreach (var record in records)
                {
                    builder.Append(record).Append('\n');
                }
            }
        }

        return builder.ToString();
    }

    private bool GetFlag(ushort flag) => (Flags & flag) != 0;

    private void SetFlag(ushort flag, bool value) => Flags = value ? (ushort)(Flags | flag) : (ushort)(Flags & ~flag);
}
