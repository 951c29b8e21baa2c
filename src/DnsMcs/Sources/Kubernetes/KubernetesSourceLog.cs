using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Kubernetes;

internal static partial class KubernetesSourceLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Source {Source}: skipping invalid {Kind} {Key} (resourceVersion {ResourceVersion}): {Reason}; its last good version keeps serving")]
    public static partial void InvalidObject(ILogger logger, string source, string kind, string key, string? resourceVersion, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Source {Source} synced with {Count} objects")]
    public static partial void Synced(ILogger logger, string source, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Source {Source} lost its API server connection ({Reason}); serving the last known answers")]
    public static partial void Disconnected(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Watching cluster {Server} (context {Context}): ServiceImport {ServiceImportVersion}, ClusterProperty {ClusterProperty}")]
    public static partial void Watching(ILogger logger, string server, string context, string serviceImportVersion, string clusterProperty);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Cannot discover the {Api} API on {Server}: {Reason}; retrying in {Delay}")]
    public static partial void DiscoveryFailed(ILogger logger, string api, string server, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "Kubernetes source stopped unexpectedly")]
    public static partial void Crashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Error, Message = "Source {Source}: applying {Kind} {Key} failed; skipped")]
    public static partial void ApplyFailed(ILogger logger, Exception exception, string source, string kind, string key);
}
