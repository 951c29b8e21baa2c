namespace DnsMcs.Metrics;

/// <summary>
/// Maps a measurement's tags to its <see cref="MetricSeries"/> without allocating once the series exists.
/// Readers probe an immutable open-addressing array published through a volatile field (no lock); a new
/// tag combination is added under a lock by copying the array, which happens once per combination.
/// </summary>
internal sealed class SeriesTable
{
    private readonly Lock _writeLock = new();
    private readonly Func<ReadOnlySpan<KeyValuePair<string, object?>>, MetricSeries?> _create;
    private volatile Entry?[] _slots = new Entry?[16];
    private int _count;

    public SeriesTable(Func<ReadOnlySpan<KeyValuePair<string, object?>>, MetricSeries?> create)
    {
        _create = create;
    }

    /// <summary>The series for these tags, created on first use; null when the instrument is over its series cap.</summary>
    public MetricSeries? GetOrAdd(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = Hash(tags);
        var found = Find(_slots, hash, tags);
        return found ?? AddSlow(hash, tags);
    }

    private static MetricSeries? Find(Entry?[] slots, int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var mask = slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var entry = slots[i];
            if (entry is null)
            {
                return null;
            }

            if (entry.Hash == hash && entry.Matches(tags))
            {
                return entry.Series;
            }
        }
    }

    private MetricSeries? AddSlow(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_writeLock)
        {
            var slots = _slots;
            var existing = Find(slots, hash, tags);
            if (existing is not null)
            {
                return existing;
            }

            // The factory folds equal label sets given in another order into one series, and refuses past the cap.
            var series = _create(tags);
            if (series is null)
            {
                return null;
            }

            // Keep the load factor at or under one half so probes stay short.
            if ((_count + 1) * 2 > slots.Length)
            {
                slots = Rehash(slots, slots.Length * 2);
            }
            else
            {
                slots = (Entry?[])slots.Clone();
            }

            Insert(slots, new Entry(hash, tags.ToArray(), series));
            _count++;
            _slots = slots;
            return series;
        }
    }

    private static Entry?[] Rehash(Entry?[] old, int size)
    {
        var slots = new Entry?[size];
        foreach (var entry in old)
        {
            if (entry is not null)
            {
                Insert(slots, entry);
            }
        }

        return slots;
    }

    private static void Insert(Entry?[] slots, Entry entry)
    {
        var mask = slots.Length - 1;
        var i = entry.Hash & mask;
        while (slots[i] is not null)
        {
            i = (i + 1) & mask;
        }

        slots[i] = entry;
    }

    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Not string.GetHashCode: randomized Marvin costs tens of ns per short string, several times per query.
        // Label values are few and not chosen by clients, so a cheap sample of each string is enough; a
        // collision only lengthens a probe, since Matches compares the tags in full.
        var hash = (uint)tags.Length;
        foreach (var tag in tags)
        {
            hash = Mix(hash, Sample(tag.Key));
            hash = Mix(hash, tag.Value switch
            {
                string text => Sample(text),
                null => 0u,
                var other => (uint)other.GetHashCode(),
            });
        }

        return (int)hash;
    }

    private static uint Sample(string text) => text.Length switch
    {
        0 => 0u,
        _ => (uint)text.Length ^ ((uint)text[0] << 8) ^ ((uint)text[text.Length >> 1] << 16) ^ ((uint)text[^1] << 24),
    };

    private static uint Mix(uint hash, uint value) => (uint)((hash ^ value) * 0x9E3779B1u) ^ (hash >> 15);

    private sealed class Entry(int hash, KeyValuePair<string, object?>[] tags, MetricSeries series)
    {
        public int Hash { get; } = hash;

        public MetricSeries Series { get; } = series;

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
        {
            if (other.Length != tags.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (!string.Equals(tags[i].Key, other[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, other[i].Value))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
