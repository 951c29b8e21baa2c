using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Cli;

/// <summary>Startup and exit lines of every dnsmcs command. Event ids 1-99 are the host's; they are stable.</summary>
internal static partial class CliLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving zone {Zone} (TTL {Ttl} s; name server addresses: [{NameServers}])")]
    public static partial void Serving(ILogger logger, string zone, uint ttl, string nameServers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Source: {Source}")]
    public static partial void Source(ILogger logger, string source);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "No source configured (--manifests, --kubeconfig or --member): the zone holds only its SOA, NS and dns-version records")]
    public static partial void NoSource(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Critical, Message = "dnsmcs {Command} failed")]
    public static partial void Failed(ILogger logger, string command, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Configuration {File} changed: applied {Changes}")]
    public static partial void Reloaded(ILogger logger, string file, IEnumerable<string> changes);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Configuration {File} changed {Changes}, which takes effect at the next restart; the running configuration is kept")]
    public static partial void ReloadNeedsRestart(ILogger logger, string file, IEnumerable<string> changes);

    [LoggerMessage(EventId = 8, Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Controller starting: members [{Members}], import policy {ImportPolicy}, leader election {LeaderElection}")]
    public static partial void ControllerStarting(ILogger logger, string members, string importPolicy, string leaderElection);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Probe starting: {Target}, cluster {Cluster}, every {Interval} (timeout {Timeout}, failure threshold {FailureThreshold})")]
    public static partial void ProbeStarting(ILogger logger, string target, string cluster, TimeSpan interval, TimeSpan timeout, int failureThreshold);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{Signal} received: stopping")]
    public static partial void Stopping(ILogger logger, PosixSignal signal);
}
