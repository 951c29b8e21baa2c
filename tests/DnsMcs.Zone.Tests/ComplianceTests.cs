using DnsMcs.Dns;
using static DnsMcs.Zone.Tests.ClusterSetFixture;

namespace DnsMcs.Zone.Tests;

/// <summary>
/// What ISC's DNS compliance tester (genreport, the tests behind ednscomp) sends, and what it expects back, as
/// unit rows: header flags that must or must not be echoed, unknown opcodes and types, EDNS versions, options
/// and flags. Every reply is decoded by our parser and by ARSoft.Tools.Net (DnsOracle). Error replies repeat
/// the question and carry OPT when the query had one (RFC 6891 §7, MCS-DNS.md).
/// </summary>
public sealed class ComplianceTests
{
    private const ushort ZFlag = 0x0040;
    private const string Apex = "clusterset.local.";

    private static readonly ClusterSetIndex Index = Standard();

    public static TheoryData<Row> Rows() =>
    [
        // dns, aa: a plain SOA query is answered authoritatively.
        new("dns", Query(Apex, DnsRecordType.SOA), DnsResponseCode.NoError, Answers: 1),
        new("aa (AA set in the query)", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.AaFlag), DnsResponseCode.NoError, Answers: 1),

        // rd, ra, ad, cd, tc, zflag: RD and CD are copied, RA/AD/Z/TC never set by us.
        new("rd", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.RdFlag), DnsResponseCode.NoError, Answers: 1, Rd: true),
        new("ra (RA set in the query)", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.RaFlag), DnsResponseCode.NoError, Answers: 1),
        new("ad", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.AdFlag), DnsResponseCode.NoError, Answers: 1),
        new("cd", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.CdFlag), DnsResponseCode.NoError, Answers: 1, Cd: true),
        new("tc (TC set in the query)", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.TcFlag), DnsResponseCode.NoError, Answers: 1),
        new("zflag", Query(Apex, DnsRecordType.SOA, flags: ZFlag), DnsResponseCode.NoError, Answers: 1),

        // opcode, opcodeflg: NOTIMP, the question and OPT kept, no RD/CD/AD echoed for an opcode we do not know.
        new("opcode 15", Query(Apex, DnsRecordType.SOA, opcode: 15), DnsResponseCode.NotImp, Opcode: 15),
        new("opcode 15 with EDNS", Query(Apex, DnsRecordType.SOA, opcode: 15, edns: true), DnsResponseCode.NotImp, Opcode: 15, Opt: true),
        new("opcodeflg", Query(Apex, DnsRecordType.SOA, opcode: 15, flags: DnsHeader.RdFlag | DnsHeader.AdFlag | DnsHeader.CdFlag), DnsResponseCode.NotImp, Opcode: 15),
        new("opcodeflg with EDNS and DO", Query(Apex, DnsRecordType.SOA, opcode: 15, flags: DnsHeader.RdFlag | DnsHeader.CdFlag, edns: true, dnssecOk: true),
            DnsResponseCode.NotImp, Opcode: 15, Opt: true, Do: true),
        new("NOTIFY", Query(Apex, DnsRecordType.SOA, opcode: 4, flags: DnsHeader.AaFlag), DnsResponseCode.NotImp, Opcode: 4),
        new("UPDATE with EDNS", Query(Apex, DnsRecordType.SOA, opcode: 5, edns: true), DnsResponseCode.NotImp, Opcode: 5, Opt: true),
        new("STATUS (opcode 2)", Query(Apex, DnsRecordType.SOA, opcode: 2, flags: DnsHeader.RdFlag), DnsResponseCode.NotImp, Opcode: 2),

        // type666: an unknown type at an existing name is NODATA.
        new("type666", Query(Apex, (DnsRecordType)666), DnsResponseCode.NoError, Authorities: 1),
        new("type666 with EDNS", Query(Apex, (DnsRecordType)666, edns: true), DnsResponseCode.NoError, Authorities: 1, Opt: true),

        // edns, edns@512, do, docd, ednsflags, ednsopt, optlist: EDNS0 answered with OPT version 0, DO echoed,
        // other EDNS flags and unknown options not echoed.
        new("edns", Query(Apex, DnsRecordType.SOA, edns: true), DnsResponseCode.NoError, Answers: 1, Opt: true),
        new("edns@512", Query(Apex, (DnsRecordType)48, edns: true, udpSize: 512), DnsResponseCode.NoError, Authorities: 1, Opt: true),
        new("do", Query(Apex, DnsRecordType.SOA, edns: true, dnssecOk: true), DnsResponseCode.NoError, Answers: 1, Opt: true, Do: true),
        new("docd", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.CdFlag, edns: true, dnssecOk: true), DnsResponseCode.NoError, Answers: 1, Opt: true, Do: true, Cd: true),
        new("ednsflags (undefined EDNS flag)", Query(Apex, DnsRecordType.SOA, edns: true, ednsFlags: 0x0080), DnsResponseCode.NoError, Answers: 1, Opt: true),
        new("ednsopt (option 100)", Query(Apex, DnsRecordType.SOA, edns: true, options: [new DnsOption(100, [])]), DnsResponseCode.NoError, Answers: 1, Opt: true),
        new("optlist (NSID, ECS, expire, cookie)", Query(Apex, DnsRecordType.SOA, edns: true, options:
            [new DnsOption(3, []), new DnsOption(8, [0, 1, 0, 0]), new DnsOption(9, []), new DnsOption(10, [1, 2, 3, 4, 5, 6, 7, 8])]),
            DnsResponseCode.NoError, Answers: 1, Opt: true),

        // edns1, edns1opt: BADVERS with OPT version 0, the question kept.
        new("edns1", Query(Apex, DnsRecordType.SOA, edns: true, version: 1), DnsResponseCode.BadVers, Opt: true),
        new("edns1opt", Query(Apex, DnsRecordType.SOA, edns: true, version: 1, options: [new DnsOption(100, [])]), DnsResponseCode.BadVers, Opt: true),
        new("edns1 with RD", Query(Apex, DnsRecordType.SOA, flags: DnsHeader.RdFlag, edns: true, version: 1), DnsResponseCode.BadVers, Opt: true, Rd: true),

        // The other errors keep the question and OPT too.
        new("REFUSED with EDNS", Query("example.com.", DnsRecordType.A, edns: true), DnsResponseCode.Refused, Opt: true, Aa: false),
        new("REFUSED without EDNS", Query("example.com.", DnsRecordType.A), DnsResponseCode.Refused, Aa: false),
        new("AXFR refused over EDNS", Query(Apex, DnsRecordType.AXFR, edns: true), DnsResponseCode.Refused, Opt: true, Aa: false),
        new("FORMERR for two OPT records", TwoOpts(), DnsResponseCode.FormErr, Opt: true, Aa: false, Rd: true, Asked: new(Apex, DnsRecordType.SOA)),
        new("FORMERR for a cut OPT option", CutOption(), DnsResponseCode.FormErr, Opt: true, Aa: false, Asked: new(Apex, DnsRecordType.SOA)),
    ];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Respond_ComplianceRow_MatchesGenreportExpectation(Row row)
    {
        var buffer = new byte[65535];
        var response = new DnsResponder(Index).Respond(row.Packet, buffer, DnsTransport.Udp);
        var reply = DnsOracle.Decode(buffer.AsSpan(0, response.Length));

        Assert.True(reply.IsResponse);
        Assert.Equal(row.Rcode, reply.ResponseCode);
        Assert.Equal(row.Opcode, (int)reply.Opcode);
        Assert.Equal(0x5151, reply.Id);
        Assert.Equal(row.Asked ?? DnsMessage.Parse(row.Packet).Questions[0], Assert.Single(reply.Questions));
        Assert.Equal(row.Answers, reply.Answers.Count);
        Assert.Equal(row.Authorities, reply.Authorities.Count);
        Assert.Empty(reply.Additionals);
        Assert.Equal(row.Aa && row.Rcode is DnsResponseCode.NoError or DnsResponseCode.NXDomain, reply.Authoritative);
        Assert.Equal(row.Rd, reply.RecursionDesired);
        Assert.Equal(row.Cd, reply.CheckingDisabled);
        Assert.False(reply.RecursionAvailable);
        Assert.False(reply.AuthenticData);
        Assert.False(reply.Truncated);
        Assert.Equal(0, reply.Flags & ZFlag);
        Assert.Equal(row.Opt, reply.Opt is not null);
        if (reply.Opt is { } opt)
        {
            Assert.Equal(0, opt.Version);
            Assert.Equal(row.Do, opt.DnssecOk);
            Assert.Equal(row.Do ? DnsOpt.DnssecOkFlag : 0, opt.Flags);
            Assert.Empty(opt.Options);
        }
    }

    [Fact]
    public void Respond_NoQuestionWithEdns_FormErrCarriesOptWithoutQuestion()
    {
        var message = DnsMessage.CreateQuery(Apex, DnsRecordType.SOA, 0x5151, edns: true);
        message.Questions.Clear();
        var buffer = new byte[512];
        var response = new DnsResponder(Index).Respond(message.ToWire(), buffer, DnsTransport.Udp);
        var reply = DnsOracle.Decode(buffer.AsSpan(0, response.Length));

        Assert.Equal(DnsResponseCode.FormErr, reply.ResponseCode);
        Assert.Empty(reply.Questions);
        Assert.Null(reply.Opt); // QDCOUNT 0: nothing after the header was read
    }

    private static byte[] Query(
        string name,
        DnsRecordType type,
        int opcode = 0,
        ushort flags = 0,
        bool edns = false,
        ushort udpSize = 4096,
        bool dnssecOk = false,
        byte version = 0,
        ushort ednsFlags = 0,
        DnsOption[]? options = null)
    {
        var message = DnsMessage.CreateQuery(name, type, 0x5151, edns, udpSize, dnssecOk);
        message.Flags |= flags;
        message.Opcode = (DnsOpcode)opcode;
        if (message.Opt is { } opt)
        {
            opt.Version = version;
            opt.Flags |= ednsFlags;
            foreach (var option in options ?? [])
            {
                opt.Options.Add(option);
            }
        }

        return message.ToWire();
    }

    private static byte[] TwoOpts()
    {
        byte[] opt = [0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0];
        var query = Query(Apex, DnsRecordType.SOA, flags: DnsHeader.RdFlag);
        query[11] = 2;
        return [.. query, .. opt, .. opt];
    }

    private static byte[] CutOption()
    {
        // OPT whose RDATA (3 bytes) holds only part of an option header.
        byte[] opt = [0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 3, 0, 10, 0];
        var query = Query(Apex, DnsRecordType.SOA);
        query[11] = 1;
        return [.. query, .. opt];
    }

    public sealed record Row(
        string Description,
        byte[] Packet,
        DnsResponseCode Rcode,
        int Answers = 0,
        int Authorities = 0,
        int Opcode = 0,
        bool Opt = false,
        bool Do = false,
        bool Rd = false,
        bool Cd = false,
        bool Aa = true,
        DnsQuestion? Asked = null)
    {
        public override string ToString() => Description;
    }
}
