using System.Net;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>The listeners' log lines. Event ids 100-199 are the server's; they are stable, dashboards match on them.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Listening on {Endpoint}: UDP ({UdpSockets} sockets) and TCP")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, int udpSockets);

    [LoggerMessage(EventId = 101, Level = LogLevel.Critical, Message = "{Reason}")]
    public static partial void BindFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Stopping listeners; waiting for {Connections} TCP connections to finish their queries")]
    public static partial void Stopping(ILogger logger, int connections);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "UDP loop on {Endpoint}: a datagram could not be answered ({Suppressed} similar errors suppressed since the last report)")]
    public static partial void UdpPacketFailed(ILogger logger, Exception exception, IPEndPoint endpoint, long suppressed);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "UDP loop on {Endpoint}: socket error {Error} ({Suppressed} similar errors suppressed since the last report)")]
    public static partial void UdpSocketError(ILogger logger, IPEndPoint endpoint, System.Net.Sockets.SocketError error, long suppressed);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "UDP on {Endpoint}: recvmmsg/sendmmsg unavailable ({Reason}); serving one datagram per receive instead")]
    public static partial void UdpBatchUnavailable(ILogger logger, IPEndPoint endpoint, string reason);

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "TCP accept on {Endpoint} failed; retrying")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, IPEndPoint endpoint);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "TCP connection cap of {Cap} reached; closing new connections until some end ({Rejected} closed since the last report)")]
    public static partial void ConnectionCapReached(ILogger logger, int cap, long rejected);

    [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "TCP connection from {Remote} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, EndPoint? remote);
}
