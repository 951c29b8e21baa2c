using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources;

/// <summary>The manifest source's log lines; event ids 2100–2119 are reserved for it.</summary>
internal static partial class ManifestSourceLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Loaded {ObjectCount} objects from {FileCount} manifest files in {Directory}")]
    public static partial void Loaded(ILogger logger, int objectCount, int fileCount, string directory);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Invalid manifest {Error}; the file's last good content keeps serving")]
    public static partial void InvalidManifest(ILogger logger, ManifestError error);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "{Object} is defined in {First} and in {Second}; the definition in {Second} is served")]
    public static partial void DuplicateObject(ILogger logger, string @object, string first, string second);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Applied manifest changes: {Put} put (new or changed), {Removed} removed")]
    public static partial void Applied(ILogger logger, int put, int removed);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Skipped {Ignored}")]
    public static partial void Ignored(ILogger logger, string ignored);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for changes; polling every {PollInterval} instead")]
    public static partial void WatcherUnavailable(ILogger logger, string directory, TimeSpan pollInterval, Exception exception);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Error, Message = "Cannot list manifest directory {Directory}; the last loaded objects keep serving")]
    public static partial void DirectoryUnreadable(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Error, Message = "Reloading manifests failed; the last loaded objects keep serving")]
    public static partial void ReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Manifest {Path} is fixed and serves again")]
    public static partial void Recovered(ILogger logger, string path);
}
