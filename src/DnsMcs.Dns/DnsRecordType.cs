namespace DnsMcs.Dns;

/// <summary>Resource record types this server reads or writes (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 6891, RFC 8482).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    AXFR = 252,
    ANY = 255,
}
