namespace DnsMcs.Dns;

/// <summary>A question entry (RFC 1035 §4.1.2) in presentation form: the name keeps its spelling and trailing dot.</summary>
public sealed record DnsQuestion
{
    public DnsQuestion(string name, DnsRecordType type, DnsClass dnsClass = DnsClass.IN)
    {
        Name = DnsPresentation.CanonicalName(name, nameof(name));
        Type = type;
        Class = dnsClass;
    }

    public string Name { get; }

    public DnsRecordType Type { get; }

    public DnsClass Class { get; }

    public override string ToString() => $"{Name} {DnsPresentation.ClassToText(Class)} {DnsPresentation.TypeToText(Type)}";
}
