using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller;

internal static partial class ControllerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Reconciled {Key}: {Outcome}, {Writes} writes in {DurationMs:F1} ms")]
    public static partial void Reconciled(ILogger logger, string key, string outcome, int writes, double durationMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Reconciled {Key}: unchanged in {DurationMs:F1} ms")]
    public static partial void Unchanged(ILogger logger, string key, double durationMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Reconcile of {Key} failed after {DurationMs:F1} ms; retrying in {Delay}")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string key, double durationMs, TimeSpan delay);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "{Verb} {Kind} {Namespace}/{Name} in {Cluster}")]
    public static partial void Wrote(ILogger logger, string verb, string kind, string? @namespace, string? name, string cluster);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Member {Cluster} serves ServiceExport {ExportVersion} and ServiceImport {ImportVersion}")]
    public static partial void MemberDiscovered(ILogger logger, string cluster, string exportVersion, string importVersion);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "Member {Cluster}: MCS API not discovered yet; retrying in {Delay}")]
    public static partial void MemberDiscoveryFailed(ILogger logger, string cluster, TimeSpan delay);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Member {Cluster}: synced {Synced}, connected {Connected}")]
    public static partial void MemberState(ILogger logger, string cluster, bool synced, bool connected);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Member {Cluster} has been unreachable longer than the stale-cluster timeout: its endpoints are withdrawn")]
    public static partial void MemberStale(ILogger logger, string cluster);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Members {Clusters} have not synced within the initial sync timeout: reconciling without them")]
    public static partial void StartingWithoutMembers(ILogger logger, string clusters);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Leading as {Identity} with Lease {Namespace}/{Name}")]
    public static partial void BecameLeader(ILogger logger, string identity, string @namespace, string name);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Lost the Lease as {Identity}: stopped writing")]
    public static partial void LostLeadership(ILogger logger, string identity);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Debug, Message = "Lease {Namespace}/{Name} is held by {Holder}")]
    public static partial void LeaseHeld(ILogger logger, string @namespace, string name, string? holder);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Warning, Message = "Lease {Namespace}/{Name}: request failed: {Reason}")]
    public static partial void LeaseFailed(ILogger logger, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Information, Message = "Released the Lease as {Identity}")]
    public static partial void Released(ILogger logger, string identity);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Information, Message = "Created namespace {Namespace} in member {Cluster} for the Lease")]
    public static partial void CreatedLeaseNamespace(ILogger logger, string @namespace, string cluster);

    [LoggerMessage(EventId = 4026, Level = LogLevel.Debug, Message = "Lease {Namespace}/{Name}: request failed again: {Reason}")]
    public static partial void LeaseFailedAgain(ILogger logger, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void Problem(ILogger logger, string problem);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Information, Message = "Resolved: {Problem}")]
    public static partial void ProblemResolved(ILogger logger, string problem);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Full resync: {Count} keys queued")]
    public static partial void Resync(ILogger logger, int count);
}
