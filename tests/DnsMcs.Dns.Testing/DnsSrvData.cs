using System.Globalization;

namespace DnsMcs.Dns;

/// <summary>RDATA of an SRV record (RFC 2782).</summary>
public sealed record DnsSrvData : DnsRecordData
{
    public DnsSrvData(ushort priority, ushort weight, ushort port, string target)
    {
        Priority = priority;
        Weight = weight;
        Port = port;
        Target = DnsPresentation.CanonicalName(target, nameof(target));
    }

    public ushort Priority { get; }

    public ushort Weight { get; }

    public ushort Port { get; }

    public string Target { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target}");
}
