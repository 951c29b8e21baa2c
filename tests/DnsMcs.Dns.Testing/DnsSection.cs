namespace DnsMcs.Dns;

/// <summary>The three record sections of a message, in wire order (RFC 1035 §4.1).</summary>
public enum DnsSection : byte
{
    Answer = 1,
    Authority = 2,
    Additional = 3,
}
