using System.Net;

namespace DnsMcs.Zone;

/// <summary>What the zone is and how it answers: apex, TTL, the name server's own addresses, our EDNS payload size.</summary>
public sealed record ZoneOptions
{
    public const int MaxTtl = 3600;

    /// <summary>The zone of KEP-1645; every default in flags and the Corefile refers here.</summary>
    public const string DefaultZone = "clusterset.local";

    /// <summary>Short, so a cache in front follows endpoint changes within seconds.</summary>
    public const uint DefaultTtl = 5;

    public string Zone { get; init; } = DefaultZone;

    /// <summary>TTL of every record but dns-version (0–3600 s).</summary>
    public uint Ttl { get; init; } = DefaultTtl;

    /// <summary>Addresses answered for ns.dns.&lt;zone&gt;.</summary>
    public IReadOnlyList<IPAddress> NameServerAddresses { get; init; } = [];

    /// <summary>Our EDNS UDP payload size (RFC 6891 §6.2.5; 1232 per DNS flag day 2020).</summary>
    public ushort MaxUdpPayload { get; init; } = 1232;
}
