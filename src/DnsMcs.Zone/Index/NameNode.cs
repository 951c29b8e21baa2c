using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// One existing name and its record sets. A node with no sets is an empty non-terminal (NODATA for
/// every type, RFC 8020). <see cref="IsApex"/> marks the zone apex, whose SOA is written per query
/// because its serial moves with every change.
/// </summary>
internal sealed class NameNode
{
    public static readonly NameNode Empty = new([], isApex: false);

    public NameNode(RecordSet[] sets, bool isApex = false)
    {
        Sets = sets;
        IsApex = isApex;
    }

    public RecordSet[] Sets { get; }

    public bool IsApex { get; }

    /// <summary>The set for a type; for ANY, the first set held (RFC 8482 §4.2: one RRset is a complete answer).</summary>
    public bool TryGet(DnsRecordType type, out RecordSet set)
    {
        var sets = Sets;
        if (type == DnsRecordType.ANY && sets.Length > 0)
        {
            set = sets[0];
            return true;
        }

        for (var i = 0; i < sets.Length; i++)
        {
            if (sets[i].Type == type)
            {
                set = sets[i];
                return true;
            }
        }

        set = default;
        return false;
    }
}
