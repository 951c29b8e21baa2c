using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Server;

/// <summary>The <c>ADDR:PORT</c> grammar of <c>--listen</c>: <c>0.0.0.0:53</c>, <c>[::]:53</c>, <c>[fd00::1]:5353</c>.</summary>
internal static class ListenEndpoint
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "expected ADDR:PORT, got an empty value";
            return false;
        }

        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"'{text}': an IPv6 address is written [ADDR]:PORT, e.g. [::]:53";
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"'{text}': expected ADDR:PORT, e.g. 0.0.0.0:53 or [::]:53";
                return false;
            }

            if (text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{text}': write an IPv6 address in brackets, e.g. [{text[..colon]}]:{text[(colon + 1)..]}";
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (!IPAddress.TryParse(host, out var address) || (text.StartsWith('[') && address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            error = $"'{text}': '{host}' is not an IP address";
            return false;
        }

        if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber))
        {
            error = $"'{text}': '{port}' is not a port (0-65535)";
            return false;
        }

        endpoint = new IPEndPoint(address, portNumber);
        return true;
    }
}
