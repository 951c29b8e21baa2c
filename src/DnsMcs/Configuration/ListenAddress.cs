using System.Globalization;
using System.Net;

namespace DnsMcs.Configuration;

/// <summary>
/// Parses the address forms CoreDNS accepts for its HTTP plugins and that our flags take: <c>:9153</c> (all IPv4
/// addresses), <c>0.0.0.0:9153</c>, <c>127.0.0.1:8080</c>, <c>localhost:8181</c>, <c>[::]:53</c>, <c>[fd00::1]:53</c>.
/// One parser for both the Corefile and the CLI, so the two never disagree.
/// </summary>
internal static class ListenAddress
{
    public static bool TryParse(string text, int? defaultPort, out IPEndPoint endpoint, out string error)
    {
        endpoint = new IPEndPoint(IPAddress.Any, 0);
        string host;
        string? port;

        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}': missing ']' after the IPv6 address";
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
            {
                error = $"'{text}': expected ':PORT' after ']'";
                return false;
            }

            port = rest.Length > 0 ? rest[1..] : null;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{text}': write an IPv6 address in brackets, e.g. [{text}]:53";
                return false;
            }

            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        int portNumber;
        if (port is null)
        {
            if (defaultPort is null)
            {
                error = $"'{text}': a port is required (ADDR:PORT, or :PORT for all addresses)";
                return false;
            }

            portNumber = defaultPort.Value;
        }
        else if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber > 65535)
        {
            error = $"'{text}': '{port}' is not a port number (0-65535)";
            return false;
        }

        IPAddress address;
        if (host.Length == 0)
        {
            address = IPAddress.Any;
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            error = $"'{text}': '{host}' is not an IP address (host names other than localhost are not resolved)";
            return false;
        }

        endpoint = new IPEndPoint(address, portNumber);
        error = string.Empty;
        return true;
    }

    public static IPEndPoint Parse(string text, int? defaultPort = null) =>
        TryParse(text, defaultPort, out var endpoint, out var error) ? endpoint : throw new FormatException(error);
}
