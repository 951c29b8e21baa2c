namespace DnsMcs.Dns;

/// <summary>Our decoder and ARSoft.Tools.Net disagree about a message (see <see cref="DnsOracle"/>).</summary>
public sealed class DnsOracleException : Exception
{
    public DnsOracleException()
    {
    }

    public DnsOracleException(string message)
        : base(message)
    {
    }

    public DnsOracleException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
