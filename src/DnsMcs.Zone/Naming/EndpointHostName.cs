using System.Net;

namespace DnsMcs.Zone.Naming;

/// <summary>
/// The host label of a per-endpoint name: the endpoint's hostname, or else its address with '.' and ':'
/// turned into '-' ("10-1-2-3", "fd00--1"), with a '0' added where the label would start or end with '-'
/// ("2001-db8--0"), since a DNS label should not (RFC 952/1123 host names).
/// </summary>
public static class EndpointHostName
{
    public static string For(string? hostname, IPAddress address) =>
        string.IsNullOrEmpty(hostname) ? FromAddress(address) : hostname.ToLowerInvariant();

    public static string FromAddress(IPAddress address)
    {
        var text = address.ToString().ToLowerInvariant();
        var scope = text.IndexOf('%', StringComparison.Ordinal);
        if (scope >= 0)
        {
            text = text[..scope];
        }

        text = text.Replace('.', '-').Replace(':', '-');
        if (text.StartsWith('-'))
        {
            text = "0" + text;
        }

        if (text.EndsWith('-'))
        {
            text += "0";
        }

        return text;
    }
}
