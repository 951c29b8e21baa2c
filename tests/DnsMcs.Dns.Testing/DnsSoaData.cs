using System.Globalization;

namespace DnsMcs.Dns;

/// <summary>RDATA of an SOA record (RFC 1035 §3.3.13).</summary>
public sealed record DnsSoaData : DnsRecordData
{
    public DnsSoaData(string primaryServer, string responsibleMailbox, uint serial, uint refresh, uint retry, uint expire, uint minimum)
    {
        PrimaryServer = DnsPresentation.CanonicalName(primaryServer, nameof(primaryServer));
        ResponsibleMailbox = DnsPresentation.CanonicalName(responsibleMailbox, nameof(responsibleMailbox));
        Serial = serial;
        Refresh = refresh;
        Retry = retry;
        Expire = expire;
        Minimum = minimum;
    }

    /// <summary>MNAME.</summary>
    public string PrimaryServer { get; }

    /// <summary>RNAME.</summary>
    public string ResponsibleMailbox { get; }

    public uint Serial { get; }

    public uint Refresh { get; }

    public uint Retry { get; }

    public uint Expire { get; }

    /// <summary>The negative-caching TTL (RFC 2308 §4).</summary>
    public uint Minimum { get; }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{PrimaryServer} {ResponsibleMailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}");
}
