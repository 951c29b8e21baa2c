namespace DnsMcs.Dns;

/// <summary>
/// The typed RDATA of a record. Each subtype prints its zone-file form from <see cref="object.ToString"/>
/// and compares by value.
/// </summary>
public abstract record DnsRecordData
{
    private protected DnsRecordData()
    {
    }
}
