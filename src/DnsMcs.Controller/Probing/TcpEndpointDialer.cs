using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Controller.Probing;

/// <summary>A TCP connect, closed at once: the endpoint is reachable if the handshake completes.</summary>
public sealed class TcpEndpointDialer : IEndpointDialer
{
    public async Task<bool> CanConnectAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ip, port), deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
