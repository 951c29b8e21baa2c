using System.Net;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>The UDP batch loop's own log line, beside the listeners' in <see cref="ServerLog"/> (same id range).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "UDP on {Endpoint}: recvmmsg/sendmmsg unavailable ({Reason}); serving one datagram per receive instead")]
    public static partial void UdpBatchUnavailable(ILogger logger, IPEndPoint endpoint, string reason);
}
