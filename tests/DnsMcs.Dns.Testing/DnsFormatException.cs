namespace DnsMcs.Dns;

/// <summary>A DNS message or record that does not follow the wire or presentation format.</summary>
public sealed class DnsFormatException : FormatException
{
    public DnsFormatException()
    {
    }

    public DnsFormatException(string message)
        : base(message)
    {
    }

    public DnsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
