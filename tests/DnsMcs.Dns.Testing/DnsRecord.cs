using System.Globalization;
using System.Net.Sockets;

namespace DnsMcs.Dns;

/// <summary>
/// A resource record in presentation form: owner name (spelled as given, with its trailing dot),
/// type, class, TTL and typed data. Compares by value, names compared exactly.
/// <see cref="ToString"/> gives one zone-file line with single spaces; <see cref="Parse"/> reads it back.
/// </summary>
public sealed record DnsRecord
{
    public DnsRecord(string name, DnsRecordType type, DnsClass dnsClass, uint ttl, DnsRecordData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Name = DnsPresentation.CanonicalName(name, nameof(name));
        if (!DataFits(type, data))
        {
            throw new ArgumentException($"{data.GetType().Name} is not the data of a {DnsPresentation.TypeToText(type)} record", nameof(data));
        }

        Type = type;
        Class = dnsClass;
        Ttl = ttl;
        Data = data;
    }

    public DnsRecord(string name, uint ttl, DnsRecordData data)
        : this(name, TypeOf(data), DnsClass.IN, ttl, data)
    {
    }

    public string Name { get; }

    public DnsRecordType Type { get; }

    public DnsClass Class { get; }

    public uint Ttl { get; }

    public DnsRecordData Data { get; }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name} {Ttl} {DnsPresentation.ClassToText(Class)} {DnsPresentation.TypeToText(Type)} {Data}");

    /// <summary>Parses one zone-file line: <c>name ttl class type rdata</c>, in that order. Throws <see cref="FormatException"/>.</summary>
    public static DnsRecord Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return DnsRecordText.Parse(line, out var error) ?? throw new FormatException($"'{line}' is not a record: {error}");
    }

    public static bool TryParse(string? line, out DnsRecord? record)
    {
        record = line is null ? null : DnsRecordText.Parse(line, out _);
        return record is not null;
    }

    /// <summary>The type whose typed data this is; <see cref="DnsUnknownData"/> and <see cref="DnsNameData"/> need an explicit type.</summary>
    private static DnsRecordType TypeOf(DnsRecordData data) => data switch
    {
        DnsAddressData address => address.RecordType,
        DnsSoaData => DnsRecordType.SOA,
        DnsSrvData => DnsRecordType.SRV,
        DnsTxtData => DnsRecordType.TXT,
        _ => throw new ArgumentException($"{data.GetType().Name} does not imply a record type: pass the type", nameof(data)),
    };

    /// <summary>
    /// True when <paramref name="data"/> is the one representation of <paramref name="type"/>'s data, so that
    /// equal records always have equal data objects: known types must use their typed form.
    /// </summary>
    internal static bool DataFits(DnsRecordType type, DnsRecordData data) => type switch
    {
        DnsRecordType.A => data is DnsAddressData { Address.AddressFamily: AddressFamily.InterNetwork },
        DnsRecordType.AAAA => data is DnsAddressData { Address.AddressFamily: AddressFamily.InterNetworkV6 },
        DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR => data is DnsNameData,
        DnsRecordType.SOA => data is DnsSoaData,
        DnsRecordType.SRV => data is DnsSrvData,
        DnsRecordType.TXT => data is DnsTxtData,
        _ => data is DnsUnknownData,
    };
}
