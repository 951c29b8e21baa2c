namespace DnsMcs.Dns;

/// <summary>Response codes (RFC 1035 §4.1.1, RFC 6891 §9 for the 12-bit extended BADVERS).</summary>
public enum DnsResponseCode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
}
