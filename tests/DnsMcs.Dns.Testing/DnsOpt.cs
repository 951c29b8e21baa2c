using System.Text;

namespace DnsMcs.Dns;

/// <summary>
/// The EDNS OPT pseudo-record (RFC 6891 §6.1): kept out of the additional records because its fields
/// are not a record's (CLASS is the payload size, TTL holds the extended rcode, version and flags).
/// </summary>
public sealed class DnsOpt : IEquatable<DnsOpt>
{
    public const ushort DnssecOkFlag = 0x8000;

    public ushort UdpPayloadSize { get; set; } = 1232;

    /// <summary>The upper 8 bits of the 12-bit response code (RFC 6891 §6.1.3).</summary>
    public byte ExtendedRcode { get; set; }

    public byte Version { get; set; }

    /// <summary>The 16 flag bits of the TTL field: DO and the Z bits, kept so that a parse-write round trip is exact.</summary>
    public ushort Flags { get; set; }

    /// <summary>The DO bit (RFC 3225 §3).</summary>
    public bool DnssecOk
    {
        get => (Flags & DnssecOkFlag) != 0;
        set => Flags = value ? (ushort)(Flags | DnssecOkFlag) : (ushort)(Flags & ~DnssecOkFlag);
    }

    public IList<DnsOption> Options { get; } = new List<DnsOption>();

    /// <summary>The TTL field as on the wire.</summary>
    public uint Ttl => ((uint)ExtendedRcode << 24) | ((uint)Version << 16) | Flags;

    public bool Equals(DnsOpt? other) =>
        other is not null
        && UdpPayloadSize == other.UdpPayloadSize
        && ExtendedRcode == other.ExtendedRcode
        && Version == other.Version
        && Flags == other.Flags
        && Options.SequenceEqual(other.Options);

    public override bool Equals(object? obj) => Equals(obj as DnsOpt);

    public override int GetHashCode() => HashCode.Combine(UdpPayloadSize, ExtendedRcode, Version, Flags, Options.Count);

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"EDNS: version: {Version}, flags:{(DnssecOk ? " do" : string.Empty)}; udp: {UdpPayloadSize}");
        foreach (var option in Options)
        {
            builder.Append("; option ").Append(option);
        }

        return builder.ToString();
    }
}
