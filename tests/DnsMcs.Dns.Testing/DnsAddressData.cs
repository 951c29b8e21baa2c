using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Dns;

/// <summary>RDATA of A (RFC 1035 §3.4.1) and AAAA (RFC 3596 §2.2) records.</summary>
public sealed record DnsAddressData : DnsRecordData
{
    public DnsAddressData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            throw new ArgumentException("only IPv4 addresses and IPv6 addresses without a scope are record data", nameof(address));
        }

        Address = address;
    }

    public IPAddress Address { get; }

    public DnsRecordType RecordType => Address.AddressFamily == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.AAAA;

    public override string ToString() => Address.ToString();
}
