using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources;

/// <summary>The manifest source's log lines; event ids 3000–3099 are reserved for it (3100s: Kubernetes source, 3200s: centralized).</summary>
internal static partial class ManifestSourceLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Loaded {ObjectCount} objects from {FileCount} manifest files in {Directory}")]
    public static partial void Loaded(ILogger logger, int objectCount, int fileCount, string directory);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Invalid manifest {Error}; the file's last good content keeps serving")]
    public static partial void InvalidManifest(ILogger logger, ManifestError error);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Object} is defined in {First} and in {Second}; the definition in {Second} is served")]
    public static partial void DuplicateObject(ILogger logger, string @object, string first, string second);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Applied manifest changes: {Put} put (new or changed), {Removed} removed")]
    public static partial void Applied(ILogger logger, int put, int removed);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Skipped {Ignored}")]
    public static partial void Ignored(ILogger logger, string ignored);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for changes; polling every {PollInterval} instead")]
    public static partial void WatcherUnavailable(ILogger logger, string directory, TimeSpan pollInterval, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Cannot list manifest directory {Directory} ({Reason}); the last loaded objects keep serving")]
    public static partial void DirectoryUnreadable(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Reloading manifests failed; the last loaded objects keep serving")]
    public static partial void ReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Manifest {Path} is fixed and serves again")]
    public static partial void Recovered(ILogger logger, string path);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "Invalid manifest {Error}; nothing from this file is served until it is fixed")]
    public static partial void InvalidManifestNothingServed(ILogger logger, ManifestError error);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Manifest directory {Directory} no longer exists (deleted, moved or unmounted); the last loaded objects keep serving until it is back")]
    public static partial void DirectoryGone(ILogger logger, string directory);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Manifest directory {Directory} is back; reading it again")]
    public static partial void DirectoryBack(ILogger logger, string directory);
}
