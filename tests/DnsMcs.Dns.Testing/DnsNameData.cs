namespace DnsMcs.Dns;

/// <summary>RDATA that is a single domain name: NS, CNAME and PTR (RFC 1035 §3.3).</summary>
public sealed record DnsNameData : DnsRecordData
{
    public DnsNameData(string target)
    {
        Target = DnsPresentation.CanonicalName(target, nameof(target));
    }

    /// <summary>The name in presentation form with its trailing dot, spelled as given.</summary>
    public string Target { get; }

    public override string ToString() => Target;
}
