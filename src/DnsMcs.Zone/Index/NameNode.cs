using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// One existing name and its record sets. A node with no sets is an empty non-terminal (NODATA for
/// every type, RFC 8020). <see cref="IsApex"/> marks the zone apex, whose SOA is written per query
/// because its serial moves with every change. Most names (one per endpoint) hold a single set, so the
/// first set lives in the node itself and only further ones take an array.
/// </summary>
internal sealed class NameNode
{
    public static readonly NameNode Empty = new([], isApex: false);

    private readonly RecordSet _first;
    private readonly RecordSet[]? _more;

    public NameNode(ReadOnlySpan<RecordSet> sets, bool isApex = false)
    {
        Count = sets.Length;
        if (sets.Length > 0)
        {
            _first = sets[0];
        }

        if (sets.Length > 1)
        {
            _more = sets[1..].ToArray();
        }

        IsApex = isApex;
    }

    public int Count { get; }

    public bool IsApex { get; }

    /// <summary>The set for a type; for ANY, the first set held (RFC 8482 §4.2: one RRset is a complete answer).</summary>
    public bool TryGet(DnsRecordType type, out RecordSet set)
    {
        if (Count > 0 && (_first.Type == type || type == DnsRecordType.ANY))
        {
            set = _first;
            return true;
        }

        if (_more is { } more)
        {
            for (var i = 0; i < more.Length; i++)
            {
                if (more[i].Type == type)
                {
                    set = more[i];
                    return true;
                }
            }
        }

        set = default;
        return false;
    }
}
