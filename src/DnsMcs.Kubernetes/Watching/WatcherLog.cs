using Microsoft.Extensions.Logging;

namespace DnsMcs.Kubernetes.Watching;

internal static partial class WatcherLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Watch of {Resource} expired at resourceVersion {ResourceVersion} (410 Gone); relisting")]
    public static partial void Gone(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Watch of {Resource} failed; retrying in {Delay}")]
    public static partial void Failed(ILogger logger, Exception exception, string resource, TimeSpan delay);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Watch of {Resource} saw nothing for {IdleTimeout}; reconnecting")]
    public static partial void Idle(ILogger logger, string resource, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Server rejected a streaming list of {Resource} ({Reason}); using list and watch")]
    public static partial void StreamingListRejected(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, Message = "Watch of {Resource} closed by the server at resourceVersion {ResourceVersion}; resuming")]
    public static partial void WatchClosed(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "Relist of {Resource}: {Added} added, {Updated} updated, {Deleted} deleted")]
    public static partial void Reconciled(ILogger logger, string resource, int added, int updated, int deleted);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Continue token of {Resource} expired during a paged list; restarting the list")]
    public static partial void ListContinueExpired(ILogger logger, string resource);
}
