namespace DnsMcs.Dns;

/// <summary>Record classes (RFC 1035 §3.2.4). Only IN is served; ANY is accepted in questions.</summary>
public enum DnsClass : ushort
{
    IN = 1,
    CH = 3,
    ANY = 255,
}
