using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Zone.Model;

namespace DnsMcs.Zone.Index;

/// <summary>
/// The names the zone has outside any service: the apex (SOA, NS), ns.dns (the server's own addresses),
/// dns-version (TXT), and the empty non-terminals svc, pod and dns (NODATA, RFC 8020). Keyed by the labels
/// in front of the zone, lowercased wire form, no root label ("" is the apex).
/// </summary>
internal sealed class ApexNames
{
    private readonly NameTable _names;

    public ApexNames(ZoneContext zone, IReadOnlyList<IPAddress> nameServerAddresses)
    {
        var names = new NameTableBuilder();
        var buffer = new WireBuffer();
        var zoneLength = zone.Wire.Length;

        // <zone> NS ns.dns.<zone>, with the name server's addresses in Additional. SOA is written per query.
        var writer = new RecordWriter(buffer, zoneLength);
        var target = writer.WriteNameServer(DnsHeader.Size, zone.Ttl, DnsHeader.Size);
        ushort glue = 0;
        foreach (var address in Ordered(nameServerAddresses))
        {
            writer.WriteAddress(target, zone.Ttl, PackedAddress.From(address));
            glue++;
        }

        var mark = names.SetMark;
        names.AddSet(DnsRecordType.NS, buffer.Written, 1, glue);
        names.Put([], mark, isApex: true);

        var nsPrefix = ZoneContext.Labels("ns", "dns");
        mark = names.SetMark;
        RecordWriter.AddressSets(buffer, names, nsPrefix.Length + zoneLength, zone.Ttl, [.. nameServerAddresses.Select(PackedAddress.From)], out _);
        names.Put(nsPrefix, mark);

        var versionPrefix = ZoneContext.Labels("dns-version");
        writer = new RecordWriter(buffer, versionPrefix.Length + zoneLength);
        writer.WriteText(DnsHeader.Size, ZoneContext.VersionTtl, ZoneContext.SchemaVersion);
        mark = names.SetMark;
        names.AddSet(DnsRecordType.TXT, buffer.Written, 1, 0);
        names.Put(versionPrefix, mark);

        foreach (var entName in new[] { "svc", "pod", "dns" })
        {
            names.TryAdd(ZoneContext.Labels(entName));
        }

        _names = names.Build();
    }

    public bool TryGet(ReadOnlySpan<byte> prefix, out NameNode node) => _names.TryGet(prefix, out node);

    private static IEnumerable<IPAddress> Ordered(IEnumerable<IPAddress> addresses) =>
        addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6);
}
