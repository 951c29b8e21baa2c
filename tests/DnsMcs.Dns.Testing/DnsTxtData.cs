using System.Collections.ObjectModel;
using System.Text;

namespace DnsMcs.Dns;

/// <summary>
/// RDATA of a TXT record (RFC 1035 §3.3.14): one or more character-strings. Each string holds bytes;
/// a char here is one byte (0-255, Latin-1), so any wire content round-trips.
/// </summary>
public sealed record DnsTxtData : DnsRecordData
{
    public DnsTxtData(params IEnumerable<string> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        var list = strings.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a TXT record holds at least one character-string", nameof(strings));
        }

        foreach (var s in list)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(strings));
            if (s.Length > 255)
            {
                throw new ArgumentException("a character-string is at most 255 bytes", nameof(strings));
            }

            if (s.Any(c => c > 0xFF))
            {
                throw new ArgumentException("a character-string holds bytes: chars must be at most U+00FF", nameof(strings));
            }
        }

        Strings = new ReadOnlyCollection<string>(list);
    }

    public IReadOnlyList<string> Strings { get; }

    public bool Equals(DnsTxtData? other) => other is not null && Strings.SequenceEqual(other.Strings, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var s in Strings)
        {
            hash.Add(s, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var s in Strings)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            DnsPresentation.AppendQuoted(builder, s);
        }

        return builder.ToString();
    }
}
