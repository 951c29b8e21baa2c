using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// One existing name and its record sets: a position in a <see cref="NameTable"/>, so finding a name allocates
/// nothing. A node with no sets is an empty non-terminal (NODATA for every type, RFC 8020). <see cref="IsApex"/>
/// marks the zone apex, whose SOA is written per query because its serial moves with every change.
/// </summary>
internal readonly struct NameNode
{
    private readonly NameTable? _table;
    private readonly int _index;

    internal NameNode(NameTable table, int index)
    {
        _table = table;
        _index = index;
    }

    /// <summary>An empty non-terminal.</summary>
    public static NameNode Empty { get; } = new(NameTable.EmptyName, 0);

    /// <summary>False for default(NameNode): no name.</summary>
    public bool Exists => _table is not null;

    public int Count => _table?.SetCount(_index) ?? 0;

    public bool IsApex => _table?.IsApex(_index) ?? false;

    /// <summary>The set for a type; for ANY, the first set held (RFC 8482 §4.2: one RRset is a complete answer).</summary>
    public bool TryGet(DnsRecordType type, out RecordSet set)
    {
        if (_table is null)
        {
            set = default;
            return false;
        }

        return _table.TryGetSet(_index, type, out set);
    }
}
