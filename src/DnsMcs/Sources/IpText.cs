using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Sources;

/// <summary>
/// Strict IP parsing for object fields. <see cref="IPAddress.TryParse(string, out IPAddress)"/> also takes
/// inet_aton forms ("10.1", "0x0a.0.0.1", "010.0.0.1" read as octal) and zone ids; Kubernetes rejects
/// those, and so do we, so that a typo never silently becomes another address.
/// </summary>
internal static class IpText
{
    public static bool TryParse(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            // IPv6, possibly with an embedded IPv4 tail ("::ffff:10.0.0.1", kept as IPv6); no zone id.
            if (text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        if (!IsDottedQuad(text) || !IPAddress.TryParse(text, out var v4))
        {
            return false;
        }

        address = v4;
        return true;
    }

    public static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    // Four decimal octets 0–255 without leading zeros.
    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            parts++;
            if (parts > 4 || part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            var value = 0;
            foreach (var c in part)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            if (value > 255)
            {
                return false;
            }
        }

        return parts == 4;
    }
}
