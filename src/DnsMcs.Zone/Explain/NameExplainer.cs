using System.Buffers.Binary;
using System.Globalization;
using DnsMcs.Dns;

namespace DnsMcs.Zone.Explain;

/// <summary>
/// Answers "why does this name answer that?":
///   1. ask the real responder (the one serve runs) a wire query for the name and type, over TCP so nothing is
///      truncated, and decode its response: the rcode and records are exactly what a client gets;
///   2. read the service behind the name from the index's writer side (<see cref="ClusterSetIndex.ModelOf"/>);
///   3. give each record the objects and the rule it came from (NameExplainer.Records.cs);
///   4. for a negative answer, say why, choosing the words by the responder's rcode (NameExplainer.Reasons.cs).
/// Allocates freely: this is a debugging aid, never on the query path.
/// </summary>
public sealed partial class NameExplainer
{
    private const ushort QueryId = 0x4558;

    /// <summary>A TCP message's limit: the answer is never truncated, so every record served is explained.</summary>
    private const int MaxMessage = 65535;

    private readonly ClusterSetIndex _index;
    private readonly DnsResponder _responder;
    private readonly IRejectedObjects? _rejected;
    private readonly IServiceOrigins? _origins;

    /// <param name="rejected">What the sources refused (they never reach the index), for the reasons.</param>
    /// <param name="origins">Where VIPs came from when a source built the service itself (centralized mode).</param>
    public NameExplainer(ClusterSetIndex index, IRejectedObjects? rejected = null, IServiceOrigins? origins = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
        _responder = new DnsResponder(index);
        _rejected = rejected;
        _origins = origins;
    }

    /// <summary>A record type by name (A, aaaa, SRV…), as TYPEnnn (RFC 3597) or as a number; empty means A.</summary>
    public static bool TryParseType(string? text, out DnsRecordType type, out string? error)
    {
        error = null;
        type = DnsRecordType.A;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var trimmed = text.Trim();
        var number = trimmed.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) ? trimmed[4..] : trimmed;
        if (ushort.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value != 0)
        {
            type = (DnsRecordType)value;
        }
        else if (!Enum.TryParse(trimmed, ignoreCase: true, out type) || !Enum.IsDefined(type) || char.IsDigit(trimmed[0]))
        {
            error = $"'{text}' is not a record type (A, AAAA, SRV, SOA, NS, TXT, ANY, or TYPEnnn)";
            return false;
        }

        if (type == DnsRecordType.OPT)
        {
            error = "OPT is a pseudo-record, not a type one can ask for";
            return false;
        }

        return true;
    }

    /// <summary>Checks a name as a query would carry it: labels of at most 63 bytes, 255 in all.</summary>
    public static bool TryCheckName(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the name is empty";
            return false;
        }

        Span<byte> wire = stackalloc byte[DnsName.MaxLength];
        if (!DnsName.TryEncode(text.Trim(), wire, out _, out var why))
        {
            error = $"'{text}' is not a domain name: {why}";
            return false;
        }

        return true;
    }

    public Explanation Explain(string name, DnsRecordType type)
    {
        if (!TryCheckName(name, out var error))
        {
            throw new ArgumentException(error, nameof(name));
        }

        // 1. The responder's answer, from a query built as a client would send it (no RD, no EDNS).
        var wire = DnsName.Encode(name.Trim());
        var query = new byte[DnsHeader.Size + wire.Length + 4];
        DnsHeader.Write(query, QueryId, 0, 1, 0, 0, 0);
        wire.CopyTo(query, DnsHeader.Size);
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(DnsHeader.Size + wire.Length), (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(DnsHeader.Size + wire.Length + 2), (ushort)DnsClass.IN);
        var buffer = new byte[MaxMessage];
        var written = _responder.Respond(query, buffer, DnsTransport.Tcp);
        if (written.Length == 0)
        {
            throw new InvalidOperationException("the responder dropped the query");
        }

        var response = ResponseReader.Read(buffer.AsSpan(0, written.Length));

        // 2. What the name is, and the service behind it.
        var lower = new byte[wire.Length];
        DnsName.ToLowerAscii(wire, lower);
        var shape = NameShape.Parse(lower, _index.Zone.Wire);
        var context = new ExplainContext(this, shape);

        // 3. Provenance of every record; 4. the reason for a negative answer.
        var answer = response.Answers.Select(context.Annotate).ToList();
        var additional = response.Additionals.Select(context.Annotate).ToList();
        var notes = new List<string>();
        var reason = answer.Count == 0 || response.ResponseCode != DnsResponseCode.NoError
            ? context.Reason(response.ResponseCode, type, notes)
            : null;
        context.AddNotes(notes, answer.Count > 0);
        return new Explanation(name.Trim(), type, response.ResponseCode, answer, response.Authorities, additional, reason, notes);
    }
}
