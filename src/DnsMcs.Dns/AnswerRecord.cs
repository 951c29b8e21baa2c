using System.Net;

namespace DnsMcs.Dns;

/// <summary>
/// One record of a response, decoded (<see cref="ResponseReader"/>): owner and data in presentation form (as dig prints them),
/// plus the fields provenance needs (the address of an A/AAAA, the port, weight and target of an SRV).
/// </summary>
public sealed record AnswerRecord(string Owner, DnsRecordType Type, uint Ttl, string Data)
{
    public IPAddress? Address { get; init; }

    public ushort Priority { get; init; }

    public ushort Weight { get; init; }

    public ushort Port { get; init; }

    /// <summary>The SRV target, or the NS name, with a trailing dot.</summary>
    public string? Target { get; init; }

    /// <summary>The record as a zone-file line: "owner ttl IN type data".</summary>
    public override string ToString() => $"{Owner} {Ttl} IN {TypeName(Type)} {Data}";

    public static string TypeName(DnsRecordType type) =>
        Enum.IsDefined(type) ? type.ToString() : $"TYPE{(ushort)type}";
}
