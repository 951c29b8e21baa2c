using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Events;

/// <summary>The event recorder's log lines; event ids 4040-4049.</summary>
internal static partial class EventLog
{
    [LoggerMessage(EventId = 4040, Level = LogLevel.Debug, Message = "Event {Type} {Reason} on ServiceExport {Namespace}/{Name} in {Cluster}: {Message}")]
    public static partial void Recorded(ILogger logger, string type, string reason, string? @namespace, string? name, string cluster, string message);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Warning, Message = "Could not write event {Reason} on ServiceExport {Namespace}/{Name} in {Cluster}: {Error}")]
    public static partial void NotRecorded(ILogger logger, string reason, string? @namespace, string? name, string cluster, string error);
}
