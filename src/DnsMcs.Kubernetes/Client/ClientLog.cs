using Microsoft.Extensions.Logging;

namespace DnsMcs.Kubernetes.Client;

internal static partial class ClientLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "API server {Server} answered 401 to {Method} {Path}; refreshing credentials and retrying once")]
    public static partial void RetryingAfterUnauthorized(ILogger logger, Uri server, HttpMethod method, Uri? path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Continue token of {Resource} expired during a paged list; restarting the list")]
    public static partial void ListContinueExpired(ILogger logger, ResourceDescriptor resource);
}
