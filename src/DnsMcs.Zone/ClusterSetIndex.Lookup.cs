using DnsMcs.Zone.Index;

namespace DnsMcs.Zone;

public sealed partial class ClusterSetIndex
{
    private static ReadOnlySpan<byte> SvcLabel => "\u0003svc"u8;

    /// <summary>
    /// The zone's whole name grammar, in one place. <paramref name="name"/> is the lowercased query name in
    /// wire form; the labels in front of the zone decide:
    ///   (none)                                        the apex (SOA, NS)
    ///   ns.dns | dns-version | svc | pod | dns        fixed names (svc, pod, dns are empty non-terminals)
    ///   &lt;ns&gt;.svc                                      NODATA if the namespace exists, else NXDOMAIN
    ///   &lt;svc&gt;.&lt;ns&gt;.svc                                the service name
    ///   _&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;.&lt;ns&gt;.svc              SRV (and _&lt;proto&gt;.&lt;svc&gt;... as an empty non-terminal)
    ///   &lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;.&lt;ns&gt;.svc             per-endpoint name; cluster is one or two labels
    ///   &lt;cluster&gt;.&lt;svc&gt;..., b.&lt;svc&gt;... (cluster a.b)  empty non-terminals above per-endpoint names: NODATA, never
    ///                                                 a record (the specification forbids per-cluster service names)
    /// Anything else, including &lt;host&gt;.&lt;svc&gt;... and a cluster with no per-endpoint name below, is NXDOMAIN. Runs without allocating or locking; <paramref name="context"/> is the
    /// zone configuration the answer belongs to (it changes only on a reload).
    /// </summary>
    internal NameStatus Find(ReadOnlySpan<byte> name, out NameNode node, out ZoneContext context)
    {
        node = default;
        var data = _data;
        context = data.Zone;
        var zone = context.Wire;
        if (!name.EndsWith(zone))
        {
            return NameStatus.OutOfZone;
        }

        var prefixLength = name.Length - zone.Length;
        Span<int> starts = stackalloc int[128];
        var labels = 0;
        var pos = 0;
        while (pos < prefixLength)
        {
            starts[labels++] = pos;
            pos += name[pos] + 1;
        }

        if (pos != prefixLength)
        {
            return NameStatus.OutOfZone; // the zone's bytes matched inside a label, not at a label boundary
        }

        var prefix = name[..prefixLength];
        if (labels >= 2 && prefix[starts[labels - 1]..].SequenceEqual(SvcLabel))
        {
            if (labels == 2)
            {
                node = NameNode.Empty;
                return _namespaceLookup.ContainsKey(prefix[..starts[1]]) ? NameStatus.Exists : NameStatus.NameError;
            }

            var serviceStart = starts[labels - 3];
            if (!data.ServiceLookup.TryGetValue(prefix[serviceStart..starts[labels - 1]], out var service))
            {
                return NameStatus.NameError;
            }

            if (labels == 3)
            {
                return service.TryGetService(out node) ? NameStatus.Exists : NameStatus.NameError;
            }

            return service.TryGetBelow(prefix[..serviceStart], out node) ? NameStatus.Exists : NameStatus.NameError;
        }

        return data.Apex.TryGet(prefix, out node) ? NameStatus.Exists : NameStatus.NameError;
    }
}
