using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Cli;

/// <summary>Startup and exit lines of <c>dnsmcs controller</c> and <c>dnsmcs probe</c>. Event ids 100-119; they are stable.</summary>
internal static partial class CommandLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Controller starting: members [{Members}], import policy {ImportPolicy}, leader election {LeaderElection}")]
    public static partial void ControllerStarting(ILogger logger, string members, string importPolicy, string leaderElection);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Probe starting: {Target}, cluster {Cluster}, every {Interval} (timeout {Timeout}, failure threshold {FailureThreshold})")]
    public static partial void ProbeStarting(ILogger logger, string target, string cluster, TimeSpan interval, TimeSpan timeout, int failureThreshold);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{Signal} received: stopping")]
    public static partial void Stopping(ILogger logger, PosixSignal signal);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 104, Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Critical, Message = "dnsmcs {Command} failed")]
    public static partial void Failed(ILogger logger, string command, Exception exception);
}
