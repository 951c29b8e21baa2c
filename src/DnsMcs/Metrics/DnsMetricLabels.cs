using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Zone;

namespace DnsMcs.Metrics;

/// <summary>
/// Label values CoreDNS writes for the DNS metrics, as interned literals: the hot path hands out the same
/// string instances every time, and every set is bounded.
/// </summary>
internal static class DnsMetricLabels
{
    public const string Other = "other";

    public static string Proto(DnsTransport transport) => transport == DnsTransport.Tcp ? "tcp" : "udp";

    /// <summary>CoreDNS's family label: "1" for IPv4, "2" for IPv6 (Go's address family numbers).</summary>
    public static string Family(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "2" : "1";

    /// <summary>
    /// The qtypes CoreDNS's metrics plugin counts by name (plugin/metrics/vars/monitor.go); every other type is
    /// "other", so a client sending random qtypes cannot grow the series count.
    /// </summary>
    public static string Type(DnsRecordType type) => TypeLabels[TypeIndex(type)];

    /// <summary>The type labels in <see cref="TypeIndex"/> order; the last is "other".</summary>
    public static readonly string[] TypeLabels =
        ["A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "DS", "RRSIG", "NSEC", "DNSKEY", "NSEC3", "HTTPS", "IXFR", "AXFR", "ANY", Other];

    /// <summary>A small dense index per counted qtype, for per-label caches on the hot path.</summary>
    public static int TypeIndex(DnsRecordType type) => (ushort)type switch
    {
        1 => 0,
        2 => 1,
        5 => 2,
        6 => 3,
        12 => 4,
        15 => 5,
        16 => 6,
        28 => 7,
        33 => 8,
        43 => 9,
        46 => 10,
        47 => 11,
        48 => 12,
        50 => 13,
        65 => 14,
        251 => 15,
        252 => 16,
        255 => 17,
        _ => 18,
    };

    /// <summary>
    /// Rcode names as CoreDNS writes them (miekg/dns RcodeToString). 16 is "BADSIG" there, not "BADVERS": both
    /// share the value (RFC 6891 §9) and CoreDNS prints the TSIG name. Unknown codes are "RCODE&lt;n&gt;" as in CoreDNS.
    /// </summary>
    public static string Rcode(DnsResponseCode rcode) => (ushort)rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        16 => "BADSIG",
        17 => "BADKEY",
        18 => "BADTIME",
        19 => "BADMODE",
        20 => "BADNAME",
        21 => "BADALG",
        22 => "BADTRUNC",
        23 => "BADCOOKIE",
        var other => UnknownRcode(other),
    };

    // Rcodes are 12 bits, so this set is bounded too; it is never reached by the codes we send.
    private static string UnknownRcode(ushort value) => "RCODE" + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
