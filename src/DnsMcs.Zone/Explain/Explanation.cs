using DnsMcs.Dns;

namespace DnsMcs.Zone.Explain;

/// <summary>
/// Why a name answers what it answers: the responder's own answer (rcode and records, exactly as served), each
/// record with the objects it came from and the rule applied, and for a negative answer the reason in words.
/// </summary>
public sealed record Explanation(
    string Name,
    DnsRecordType Type,
    DnsResponseCode ResponseCode,
    IReadOnlyList<ExplainedRecord> Answer,
    IReadOnlyList<AnswerRecord> Authority,
    IReadOnlyList<ExplainedRecord> Additional,
    string? Reason,
    IReadOnlyList<string> Notes)
{
    /// <summary>NOERROR with an empty answer: the name exists, without records of the type (RFC 2308 NODATA).</summary>
    public bool IsNoData => ResponseCode == DnsResponseCode.NoError && Answer.Count == 0;

    /// <summary>The rcode as dig prints it (NOERROR, NXDOMAIN, SERVFAIL, REFUSED…).</summary>
    public string ResponseCodeText => ResponseCode switch
    {
        DnsResponseCode.NoError => "NOERROR",
        DnsResponseCode.NXDomain => "NXDOMAIN",
        DnsResponseCode.ServFail => "SERVFAIL",
        DnsResponseCode.Refused => "REFUSED",
        DnsResponseCode.FormErr => "FORMERR",
        DnsResponseCode.NotImp => "NOTIMP",
        DnsResponseCode.BadVers => "BADVERS",
        _ => ((ushort)ResponseCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A served record, the rule that made it, and the objects behind it.</summary>
public sealed record ExplainedRecord(AnswerRecord Record, string Rule, IReadOnlyList<RecordSource> From);

/// <summary>
/// One object behind a record: its kind and namespace/name, the cluster it came from (slices), the field that
/// holds the value ("spec.ips[0]", "endpoints[1]", "ports[0]") and what that field says ("10.1.3.10, hostname db-0, ready").
/// </summary>
public sealed record RecordSource(string Kind, string Namespace, string Name, string? Cluster, string? Field, string? Detail)
{
    public override string ToString()
    {
        var text = $"{Kind} {Namespace}/{Name}";
        if (Cluster is not null)
        {
            text += $" (cluster {Cluster})";
        }

        if (Field is not null)
        {
            text += $" {Field}";
        }

        return Detail is null ? text : $"{text}: {Detail}";
    }
}

/// <summary>An object a source refused (it never reached the index): where it was read, the field at fault and why.</summary>
public sealed record RejectedObject(string Kind, string? Namespace, string Name, string Source, string Message)
{
    public override string ToString() => Namespace is null
        ? $"{Kind} {Name} was rejected by {Source}: {Message}"
        : $"{Kind} {Namespace}/{Name} was rejected by {Source}: {Message}";
}

/// <summary>The objects sources rejected, as far as they were told; the index itself never sees them.</summary>
public interface IRejectedObjects
{
    /// <summary>Rejections that may matter to <paramref name="namespace"/>/<paramref name="service"/>: its ServiceImport, slices, namespace, the cluster id.</summary>
    IReadOnlyList<RejectedObject> For(string @namespace, string service);

    /// <summary>Every rejection known (for names that name no service).</summary>
    IReadOnlyList<RejectedObject> All();
}
