using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Probing;

internal static partial class ProbeLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Endpoint {Address}:{Port} of {Key} is unreachable after {Failures} probes: reported disconnected")]
    public static partial void Disconnected(ILogger logger, string key, string address, int port, int failures);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Endpoint {Address}:{Port} of {Key} is reachable again")]
    public static partial void Reconnected(ILogger logger, string key, string address, int port);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "ServiceImport {Key}: disconnected addresses now '{Addresses}'")]
    public static partial void Annotated(ILogger logger, string key, string addresses);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "ServiceImport {Key}: writing the disconnected addresses failed")]
    public static partial void AnnotateFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "Probe round: {Targets} endpoints in {DurationMs:F1} ms")]
    public static partial void Round(ILogger logger, int targets, double durationMs);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "API discovery failed; retrying in {Delay}")]
    public static partial void DiscoveryFailed(ILogger logger, Exception exception, TimeSpan delay);
}
