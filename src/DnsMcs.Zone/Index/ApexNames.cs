using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// The names the zone has outside any service: the apex (SOA, NS), ns.dns (the server's own addresses),
/// dns-version (TXT), and the empty non-terminals svc, pod and dns (NODATA, RFC 8020). Keyed by the labels
/// in front of the zone, lowercased wire form, no root label ("" is the apex).
/// </summary>
internal sealed class ApexNames
{
    private readonly Dictionary<byte[], NameNode>.AlternateLookup<ReadOnlySpan<byte>> _names;

    public ApexNames(ZoneContext zone, IReadOnlyList<IPAddress> nameServerAddresses)
    {
        var names = new Dictionary<byte[], NameNode>(ByteKeyComparer.Instance);
        var buffer = new WireBuffer();
        var zoneLength = zone.Wire.Length;

        // <zone> NS ns.dns.<zone>, with the name server's addresses in Additional. SOA is written per query.
        var writer = new RecordWriter(buffer, zoneLength);
        var target = writer.WriteNameServer(DnsHeader.Size, zone.Ttl, DnsHeader.Size);
        ushort glue = 0;
        foreach (var address in Ordered(nameServerAddresses))
        {
            writer.WriteAddress(target, zone.Ttl, address);
            glue++;
        }

        names[[]] = new NameNode([new RecordSet(DnsRecordType.NS, writer.ToArray(), 1, glue)], isApex: true);

        var nsPrefix = ZoneContext.Labels("ns", "dns");
        names[nsPrefix] = new NameNode(RecordWriter.AddressSets(buffer, nsPrefix.Length + zoneLength, zone.Ttl, nameServerAddresses));

        var versionPrefix = ZoneContext.Labels("dns-version");
        writer = new RecordWriter(buffer, versionPrefix.Length + zoneLength);
        writer.WriteText(DnsHeader.Size, ZoneContext.VersionTtl, ZoneContext.SchemaVersion);
        names[versionPrefix] = new NameNode([new RecordSet(DnsRecordType.TXT, writer.ToArray(), 1, 0)]);

        foreach (var entName in new[] { "svc", "pod", "dns" })
        {
            names[ZoneContext.Labels(entName)] = NameNode.Empty;
        }

        _names = names.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public bool TryGet(ReadOnlySpan<byte> prefix, out NameNode node) => _names.TryGetValue(prefix, out node!);

    private static IEnumerable<IPAddress> Ordered(IEnumerable<IPAddress> addresses) =>
        addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6);
}
