using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// An immutable table of names and their precompiled record sets, in four flat arrays: one byte arena holding every
/// key and every set's wire bytes, the names, the sets, and an open-addressing index over the names. A service's
/// answers, one per-endpoint name each, cost their bytes plus about 30 bytes of bookkeeping per name, where a
/// dictionary of byte[] keys to node objects holding byte[] sets cost some 150 (measured with
/// <c>benchmarks/DnsMcs.Benchmarks -- load</c>). Built by <see cref="NameTableBuilder"/>; read without locks or allocation.
/// </summary>
internal sealed class NameTable
{
    /// <summary>One name, "" included: the empty non-terminal every query of an <see cref="NameNode.Empty"/> sees.</summary>
    public static readonly NameTable EmptyName = NameTableBuilder.Single([], isApex: false);

    private readonly byte[] _bytes;
    private readonly Name[] _names;
    private readonly Set[] _sets;
    private readonly int[] _slots; // name index + 1; 0 is a free slot. Length a power of two, at least twice the names.

    internal NameTable(byte[] bytes, Name[] names, Set[] sets, int[] slots)
    {
        _bytes = bytes;
        _names = names;
        _sets = sets;
        _slots = slots;
    }

    public int Count => _names.Length;

    /// <summary>Bytes this table holds, arrays included (for the memory figures).</summary>
    public long Size => 96 + _bytes.Length + (_names.Length * 12L) + (_sets.Length * 12L) + (_slots.Length * 4L);

    public bool TryGet(ReadOnlySpan<byte> key, out NameNode node)
    {
        var mask = _slots.Length - 1;
        for (var slot = NameTableBuilder.Hash(key) & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                node = default;
                return false;
            }

            ref readonly var name = ref _names[entry - 1];
            if (_bytes.AsSpan(name.KeyOffset, name.KeyLength).SequenceEqual(key))
            {
                node = new NameNode(this, entry - 1);
                return true;
            }
        }
    }

    internal bool IsApex(int name) => _names[name].IsApex;

    internal int SetCount(int name) => _names[name].SetCount;

    /// <summary>The set for a type; for ANY, the first set held (RFC 8482 §4.2: one RRset is a complete answer).</summary>
    internal bool TryGetSet(int name, DnsRecordType type, out RecordSet set)
    {
        ref readonly var entry = ref _names[name];
        for (var i = 0; i < entry.SetCount; i++)
        {
            ref readonly var s = ref _sets[entry.FirstSet + i];
            if (s.Type == (ushort)type || (type == DnsRecordType.ANY && i == 0))
            {
                set = new RecordSet((DnsRecordType)s.Type, _bytes, s.Offset, s.Length, s.Answers, s.Additionals);
                return true;
            }
        }

        set = default;
        return false;
    }

    internal readonly record struct Name(int KeyOffset, byte KeyLength, byte SetCount, bool IsApex, int FirstSet);

    internal readonly record struct Set(int Offset, ushort Length, ushort Type, ushort Answers, ushort Additionals);
}
