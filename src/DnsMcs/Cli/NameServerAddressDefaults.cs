using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DnsMcs.Configuration;

namespace DnsMcs.Cli;

/// <summary>
/// What <c>ns.dns.&lt;zone&gt;</c> answers when <c>--ns-address</c> is not given: the specific addresses we listen on;
/// when we listen on wildcards only, the host's first usable address of each family listened on; else nothing.
/// </summary>
internal static class NameServerAddressDefaults
{
    /// <summary>--ns-address if given, else the file's ns_address, else the defaults for the listen addresses.</summary>
    public static ServeConfiguration ApplyTo(ServeConfiguration settings, IPAddress[]? given)
    {
        if (given is { Length: > 0 })
        {
            return settings with { NameServerAddresses = given };
        }

        return settings.NameServerAddresses.Count == 0 ? settings with { NameServerAddresses = For([.. settings.Listen]) } : settings;
    }

    public static IReadOnlyList<IPAddress> For(IReadOnlyList<IPEndPoint> listen)
    {
        var specific = listen
            .Select(endpoint => endpoint.Address)
            .Where(address => !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
            .Distinct()
            .ToList();
        if (specific.Count > 0)
        {
            return specific;
        }

        var families = listen.Select(endpoint => endpoint.AddressFamily).Distinct().ToList();
        var host = HostAddresses();
        return [.. families
            .Select(family => host.FirstOrDefault(address => address.AddressFamily == family))
            .OfType<IPAddress>()];
    }

    private static List<IPAddress> HostAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
                .Select(unicast => unicast.Address)
                .Where(IsUsable)];
        }
        catch (NetworkInformationException)
        {
            // Some sandboxes hide the interfaces; no NS address is better than no server.
            return [];
        }
    }

    // Link-local addresses are meaningless to a client on another link, so they make poor glue.
    private static bool IsUsable(IPAddress address) =>
        !IPAddress.IsLoopback(address)
        && (address.AddressFamily == AddressFamily.InterNetwork
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal && !address.IsIPv6SiteLocal));
}
