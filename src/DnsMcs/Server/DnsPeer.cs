using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Server;

/// <summary>
/// Who sent a query: a UDP loop's reused <see cref="SocketAddress"/> (refreshed by each receive) or a TCP
/// connection's remote end. A struct over what the listener already holds, so passing it costs nothing per
/// query; only <see cref="ToString"/> (the query log) builds text.
/// </summary>
internal readonly struct DnsPeer
{
    private readonly SocketAddress? _address;
    private readonly EndPoint? _endpoint;

    public DnsPeer(SocketAddress address) => _address = address;

    public DnsPeer(EndPoint? endpoint) => _endpoint = endpoint;

    /// <summary>No peer known (a test, or a caller outside a listener).</summary>
    public static DnsPeer None => default;

    /// <summary>ADDR:PORT as CoreDNS's log prints it; "-" when unknown.</summary>
    public override string ToString() =>
        _endpoint?.ToString() ?? (_address is { } address ? Template(address.Family).Create(address).ToString() ?? "-" : "-");

    private static IPEndPoint Template(AddressFamily family) =>
        new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
}
