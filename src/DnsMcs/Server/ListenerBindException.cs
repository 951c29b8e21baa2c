using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Server;

/// <summary>A listen socket could not be bound; the message says why in words an operator acts on.</summary>
internal sealed class ListenerBindException : Exception
{
    public ListenerBindException()
    {
    }

    public ListenerBindException(string message)
        : base(message)
    {
    }

    public ListenerBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error for <paramref name="endpoint"/>; <paramref name="serving"/> names what it was for when that helps (the HTTP paths).</summary>
    public static ListenerBindException From(string protocol, IPEndPoint endpoint, SocketException error, string? serving = null)
    {
        var why = error.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse when protocol == "HTTP" => "the port is already in use (another dnsmcs or CoreDNS on this host?)",
            SocketError.AddressAlreadyInUse => "the port is already in use (another DNS server, e.g. systemd-resolved, or another dnsmcs?)",
            SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
            SocketError.AddressNotAvailable => "the address is not assigned to any interface of this host",
            SocketError.AddressFamilyNotSupported => "this host does not support that address family",
            _ => error.Message,
        };
        var what = serving is null ? string.Empty : $" ({serving})";
        return new ListenerBindException($"cannot listen on {protocol} {endpoint}{what}: {why}", error);
    }
}
