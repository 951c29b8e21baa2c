using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// Collects names and their record sets for one <see cref="NameTable"/>, then copies what is live into exact-size
/// arrays. Reused across builds by one writer (not thread-safe), so a build allocates little besides the table.
/// <see cref="Put"/> replaces a name of the same spelling (the last one wins), <see cref="TryAdd"/> keeps it.
/// </summary>
internal sealed class NameTableBuilder
{
    private readonly List<PendingName> _names = [];
    private readonly List<NameTable.Set> _sets = [];
    private byte[] _bytes = new byte[4096];
    private int _length;
    private int[] _slots = new int[64];

    /// <summary>Where the sets of the next name begin; pass it to <see cref="Put"/> once they are added.</summary>
    public int SetMark => _sets.Count;

    public void Clear()
    {
        _names.Clear();
        _sets.Clear();
        _length = 0;
        Array.Clear(_slots);
    }

    /// <summary>One record set (answers then additionals, as <see cref="RecordWriter"/> wrote them) for the next name.</summary>
    public void AddSet(DnsRecordType type, ReadOnlySpan<byte> wire, ushort answers, ushort additionals)
    {
        var offset = Append(wire);
        _sets.Add(new NameTable.Set(offset, checked((ushort)wire.Length), (ushort)type, answers, additionals));
    }

    /// <summary>The name <paramref name="key"/> with the sets added since <paramref name="setMark"/>; replaces one of the same spelling.</summary>
    public void Put(ReadOnlySpan<byte> key, int setMark, bool isApex = false) => Add(key, setMark, isApex, replace: true);

    /// <summary>The name <paramref name="key"/> with the sets added since <paramref name="setMark"/> (none: an empty non-terminal), unless it exists.</summary>
    public void TryAdd(ReadOnlySpan<byte> key, int setMark = -1) => Add(key, setMark < 0 ? _sets.Count : setMark, isApex: false, replace: false);

    public NameTable Build()
    {
        var bytes = 0;
        var sets = 0;
        foreach (var name in _names)
        {
            bytes += name.KeyLength;
            sets += name.SetCount;
            for (var i = 0; i < name.SetCount; i++)
            {
                bytes += _sets[name.FirstSet + i].Length;
            }
        }

        // Copy only what a name still points to: a replaced name's sets stay behind in the scratch arena.
        var arena = new byte[bytes];
        var names = new NameTable.Name[_names.Count];
        var setArray = new NameTable.Set[sets];
        var slots = new int[SlotCount(_names.Count)];
        var at = 0;
        var nextSet = 0;
        for (var n = 0; n < _names.Count; n++)
        {
            var name = _names[n];
            _bytes.AsSpan(name.KeyOffset, name.KeyLength).CopyTo(arena.AsSpan(at));
            names[n] = new NameTable.Name(at, name.KeyLength, name.SetCount, name.IsApex, nextSet);
            var key = arena.AsSpan(at, name.KeyLength);
            at += name.KeyLength;
            for (var i = 0; i < name.SetCount; i++)
            {
                var set = _sets[name.FirstSet + i];
                _bytes.AsSpan(set.Offset, set.Length).CopyTo(arena.AsSpan(at));
                setArray[nextSet++] = set with { Offset = at };
                at += set.Length;
            }

            Insert(slots, key, n);
        }

        return new NameTable(arena, names, setArray, slots);
    }

    /// <summary>A table of one name (the apex's fixed names use a builder; this is for the shared empty one).</summary>
    public static NameTable Single(ReadOnlySpan<byte> key, bool isApex)
    {
        var builder = new NameTableBuilder();
        builder.Put(key, builder.SetMark, isApex);
        return builder.Build();
    }

    /// <summary>The table's hash of a key: FNV-1a, stable and cheap for the short keys here (a label or two).</summary>
    public static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash ^ (hash >> 15));
    }

    private static int SlotCount(int names) => Math.Max(4, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(names * 2)));

    private static void Insert(int[] slots, ReadOnlySpan<byte> key, int name)
    {
        var mask = slots.Length - 1;
        var slot = Hash(key) & mask;
        while (slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        slots[slot] = name + 1;
    }

    private void Add(ReadOnlySpan<byte> key, int setMark, bool isApex, bool replace)
    {
        if (key.Length > byte.MaxValue)
        {
            throw new ArgumentException("a name's prefix is at most 255 bytes", nameof(key));
        }

        var existing = Find(key);
        if (existing >= 0 && !replace)
        {
            return;
        }

        var pending = new PendingName(existing >= 0 ? _names[existing].KeyOffset : Append(key), (byte)key.Length, checked((byte)(_sets.Count - setMark)), isApex, setMark);
        if (existing >= 0)
        {
            _names[existing] = pending;
            return;
        }

        _names.Add(pending);
        if (_names.Count * 2 > _slots.Length)
        {
            _slots = new int[_slots.Length * 2];
            for (var n = 0; n < _names.Count; n++)
            {
                Insert(_slots, _bytes.AsSpan(_names[n].KeyOffset, _names[n].KeyLength), n);
            }
        }
        else
        {
            Insert(_slots, key, _names.Count - 1);
        }
    }

    private int Find(ReadOnlySpan<byte> key)
    {
        var mask = _slots.Length - 1;
        for (var slot = Hash(key) & mask; _slots[slot] != 0; slot = (slot + 1) & mask)
        {
            var name = _names[_slots[slot] - 1];
            if (_bytes.AsSpan(name.KeyOffset, name.KeyLength).SequenceEqual(key))
            {
                return _slots[slot] - 1;
            }
        }

        return -1;
    }

    private int Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + bytes.Length));
        }

        var offset = _length;
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
        return offset;
    }

    private readonly record struct PendingName(int KeyOffset, byte KeyLength, byte SetCount, bool IsApex, int FirstSet);
}
