namespace DnsMcs.Zone;

public enum DnsTransport : byte
{
    Udp,
    Tcp,
}
