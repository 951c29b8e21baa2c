using System.Text;

namespace DnsMcs.Zone.Explain;

/// <summary>Which part of the zone's grammar a name falls in, for choosing the objects and words that explain it.</summary>
internal enum NameKind : byte
{
    OutOfZone,
    Apex,

    /// <summary>ns.dns, dns-version, and the empty non-terminals svc, pod, dns.</summary>
    Fixed,

    /// <summary>A name at the zone level that the grammar does not have.</summary>
    UnknownInZone,
    Namespace,
    Service,

    /// <summary>_&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;…</summary>
    Port,

    /// <summary>_&lt;proto&gt;.&lt;svc&gt;…, the empty non-terminal above port names.</summary>
    Protocol,

    /// <summary>One label or two between the service and the host: &lt;cluster&gt;.&lt;svc&gt;…, or a host written without its cluster.</summary>
    ClusterLabel,

    /// <summary>&lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;…, the cluster one label or two.</summary>
    Endpoint,

    /// <summary>Deeper than any name the grammar has below a service.</summary>
    UnknownBelowService,
}

/// <summary>
/// The labels of a lowercased name in front of the zone, read the way ClusterSetIndex.Find reads them. This only picks
/// what to describe: the answer itself always comes from the responder, so where the two could disagree the
/// responder's rcode wins and the words follow it.
/// </summary>
internal sealed record NameShape(NameKind Kind, string Relative, string? Namespace = null, string? Service = null, IReadOnlyList<string>? Below = null)
{
    private static readonly string[] FixedNames = ["ns.dns", "dns-version", "svc", "pod", "dns"];

    /// <summary>The labels between the host (or port) and the service, joined: the cluster id of a per-endpoint name.</summary>
    public string? Cluster => Kind switch
    {
        NameKind.Endpoint => string.Join('.', Below!.Skip(1)),
        NameKind.ClusterLabel => string.Join('.', Below!),
        _ => null,
    };

    public string? Host => Kind == NameKind.Endpoint ? Below![0] : null;

    public static NameShape Parse(ReadOnlySpan<byte> lowercaseWire, ReadOnlySpan<byte> zoneWire)
    {
        if (!lowercaseWire.EndsWith(zoneWire))
        {
            return new NameShape(NameKind.OutOfZone, string.Empty);
        }

        var labels = new List<string>();
        var pos = 0;
        var prefixLength = lowercaseWire.Length - zoneWire.Length;
        while (pos < prefixLength)
        {
            int length = lowercaseWire[pos];
            labels.Add(Encoding.Latin1.GetString(lowercaseWire.Slice(pos + 1, length)));
            pos += length + 1;
        }

        if (pos != prefixLength)
        {
            return new NameShape(NameKind.OutOfZone, string.Empty); // the zone matched inside a label
        }

        var relative = string.Join('.', labels);
        var n = labels.Count;
        if (n == 0)
        {
            return new NameShape(NameKind.Apex, relative);
        }

        if (n >= 2 && labels[^1] == "svc")
        {
            if (n == 2)
            {
                return new NameShape(NameKind.Namespace, relative, labels[0]);
            }

            var below = labels.Take(n - 3).ToList();
            var kind = below switch
            {
                [] => NameKind.Service,
                [var port, var protocol] when port.StartsWith('_') && protocol.StartsWith('_') => NameKind.Port,
                [var protocol] when protocol.StartsWith('_') => NameKind.Protocol,
                [_] => NameKind.ClusterLabel,
                [var host, ..] when below.Count <= 3 && !host.StartsWith('_') => NameKind.Endpoint,
                _ => NameKind.UnknownBelowService,
            };
            return new NameShape(kind, relative, labels[n - 2], labels[n - 3], below);
        }

        return new NameShape(FixedNames.Contains(relative) ? NameKind.Fixed : NameKind.UnknownInZone, relative);
    }
}
