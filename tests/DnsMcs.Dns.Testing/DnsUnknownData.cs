using System.Globalization;
using System.Text;

namespace DnsMcs.Dns;

/// <summary>Opaque RDATA of a type without a typed form, printed as RFC 3597 §5 <c>\# length hex</c>.</summary>
public sealed record DnsUnknownData : DnsRecordData
{
    public DnsUnknownData(ReadOnlySpan<byte> data)
    {
        Data = data.ToArray();
    }

    public ReadOnlyMemory<byte> Data { get; }

    public bool Equals(DnsUnknownData? other) => other is not null && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(Data.Span);
        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var builder = new StringBuilder("\\# ");
        builder.Append(Data.Length.ToString(CultureInfo.InvariantCulture));
        if (Data.Length > 0)
        {
            builder.Append(' ').Append(Convert.ToHexString(Data.Span));
        }

        return builder.ToString();
    }
}
