using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Centralized;

internal static partial class CentralizedSourceLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Member {Member}: watching {Server} (context {Context})")]
    public static partial void Watching(ILogger logger, string member, string server, string context);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Member {Member}: cannot discover the multicluster.x-k8s.io ServiceExport API: {Reason}; retrying in {Delay}")]
    public static partial void DiscoveryFailed(ILogger logger, string member, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Member {Member}: ServiceExport {Version}")]
    public static partial void ExportVersion(ILogger logger, string member, string version);


    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Member {Member} is unreachable ({Reason}); its last known services and endpoints keep serving")]
    public static partial void MemberDown(ILogger logger, string member, string reason);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Member {Member} is reachable again")]
    public static partial void MemberUp(ILogger logger, string member);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Member {Member} has not completed its first lists within {Timeout} (pending: {Pending}); counting it as synced with what it has, so negative answers stop being SERVFAIL")]
    public static partial void SyncTimedOut(ILogger logger, string member, TimeSpan timeout, string pending);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Warning, Message = "Export conflict for {Namespace}/{Name} in member {Member}: {Reason}: {Message}")]
    public static partial void Conflict(ILogger logger, string @namespace, string name, string member, string reason, string message);

    [LoggerMessage(EventId = 3208, Level = LogLevel.Information, Message = "Export conflicts for {Namespace}/{Name} are resolved")]
    public static partial void ConflictsResolved(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 3209, Level = LogLevel.Warning, Message = "ServiceExport {Namespace}/{Name} in member {Member} is not exported: {Reason}: {Message}")]
    public static partial void InvalidExport(ILogger logger, string @namespace, string name, string member, string reason, string message);


    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Merged service {Namespace}/{Name} is invalid: {Reason}; its last good answers keep serving")]
    public static partial void InvalidMerge(ILogger logger, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Error, Message = "Member {Member}: source stopped unexpectedly")]
    public static partial void Crashed(ILogger logger, string member, Exception exception);


    [LoggerMessage(EventId = 3214, Level = LogLevel.Warning, Message = "Member {Member} does not serve the multicluster.x-k8s.io ServiceExport API, so it exports nothing; not waiting for it")]
    public static partial void NoExportApi(ILogger logger, string member);
}
