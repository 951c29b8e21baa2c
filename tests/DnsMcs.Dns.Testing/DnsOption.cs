using System.Globalization;

namespace DnsMcs.Dns;

/// <summary>One EDNS option (RFC 6891 §6.1.2): code and opaque data.</summary>
public sealed record DnsOption
{
    public DnsOption(ushort code, ReadOnlySpan<byte> data)
    {
        Code = code;
        Data = data.ToArray();
    }

    public ushort Code { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public bool Equals(DnsOption? other) => other is not null && Code == other.Code && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Code);
        hash.AddBytes(Data.Span);
        return hash.ToHashCode();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Code}:{Convert.ToHexString(Data.Span)}");
}
