using System.Collections.Concurrent;
using System.Globalization;
using DnsMcs.Controller.Members;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using KubeEvent = DnsMcs.Kubernetes.Models.Event;

namespace DnsMcs.Controller.Events;

/// <summary>
/// The Events <c>kubectl describe serviceexport</c> lists: an export that became invalid or conflicting (Warning, the
/// condition's reason), a conflict that cleared (Normal), and an import into another member that failed (Warning
/// ImportFailed). Written as client-go's recorder writes them: core/v1 Events in the ServiceExport's namespace and
/// cluster, about the ServiceExport (apiVersion, kind, namespace, name, uid, resourceVersion), from
/// source.component and reportingComponent "dnsmcs-controller" with this replica as reportingInstance.
/// The same event about the same object is written at most once per <see cref="RepeatAfter"/>: a failing import
/// retried with backoff does not flood the namespace (nor the log, when a member refuses events). An event is a
/// report, never a step of the reconcile: one the server refuses is logged and dropped.
/// </summary>
internal sealed class ExportEventRecorder(string instance, ILogger logger, TimeProvider time)
{
    public const string Component = "dnsmcs-controller";
    public const string ImportFailed = "ImportFailed";
    public const string ConflictResolved = "ConflictResolved";

    public static readonly TimeSpan RepeatAfter = TimeSpan.FromMinutes(10);

    // The API server keeps messages of any length, but kubectl and events.k8s.io/v1 (note) stop at 1 kB.
    private const int MaxMessage = 1024;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>The export's conditions were rewritten: report what became wrong, or a conflict that cleared.</summary>
    public async Task ConditionsChangedAsync(MemberCluster member, ServiceExport export, IReadOnlyList<Condition>? before, IReadOnlyList<Condition> after, CancellationToken cancellationToken)
    {
        if (Changed(before, after, Sync.ExportConditions.Valid) is { Status: "False" } invalid)
        {
            await RecordAsync(member, export, "Warning", invalid.Reason ?? "Invalid", invalid.Message, cancellationToken).ConfigureAwait(false);
        }

        switch (Changed(before, after, Sync.ExportConditions.Conflict))
        {
            case { Status: "True" } conflict:
                // Several reasons are joined by commas in the condition; an event reason is one word.
                var reason = conflict.Reason is { } r && !r.Contains(',', StringComparison.Ordinal) ? r : "Conflict";
                await RecordAsync(member, export, "Warning", reason, conflict.Message, cancellationToken).ConfigureAwait(false);
                break;
            case { Status: "False" } when Find(before, Sync.ExportConditions.Conflict) is { Status: "True" }:
                await RecordAsync(member, export, "Normal", ConflictResolved, "no conflicts with other exports of this service any more", cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Importing the service into <paramref name="importingCluster"/> failed: told on every export of it.</summary>
    public async Task ImportFailedAsync(IEnumerable<(MemberCluster Member, ServiceExport Export)> exports, string importingCluster, Exception error, CancellationToken cancellationToken)
    {
        var message = $"cannot import into cluster {importingCluster}: {error.Message}";
        foreach (var (member, export) in exports)
        {
            await RecordAsync(member, export, "Warning", ImportFailed, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Condition? Find(IReadOnlyList<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    // The condition of this type when its status or reason is new; a reworded message alone is not news.
    private static Condition? Changed(IReadOnlyList<Condition>? before, IReadOnlyList<Condition> after, string type)
    {
        var now = Find(after, type);
        var then = Find(before, type);
        return now is not null && (then is null || then.Status != now.Status || then.Reason != now.Reason) ? now : null;
    }

    private async Task RecordAsync(MemberCluster member, ServiceExport export, string type, string reason, string? message, CancellationToken cancellationToken)
    {
        var meta = export.Metadata;
        var text = message is { Length: > MaxMessage } ? message[..(MaxMessage - 1)] + "…" : message ?? string.Empty;
        var key = $"{member.Name}|{meta.Namespace}/{meta.Name}|{meta.Uid}|{type}|{reason}|{text}";
        var now = time.GetUtcNow();
        if (_sent.TryGetValue(key, out var last) && now - last < RepeatAfter)
        {
            return;
        }

        _sent[key] = now;
        Forget(now);
        var stamp = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var created = new KubeEvent
        {
            Metadata = new ObjectMeta
            {
                // client-go's naming: the object's name and the time in hex nanoseconds (plus a sequence: two events
                // about one object can share a clock reading).
                Name = string.Create(CultureInfo.InvariantCulture, $"{meta.Name}.{((now.Ticks - DateTimeOffset.UnixEpoch.Ticks) * 100) + Interlocked.Increment(ref _sequence):x}"),
                Namespace = meta.Namespace,
            },
            InvolvedObject = new EventObjectReference
            {
                ApiVersion = member.ExportType.Descriptor.ApiVersion,
                Kind = member.ExportType.Kind,
                Namespace = meta.Namespace,
                Name = meta.Name,
                Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
            },
            Reason = reason,
            Message = text,
            Type = type,
            Source = new EventSource { Component = Component },
            FirstTimestamp = stamp,
            LastTimestamp = stamp,
            Count = 1,
            ReportingComponent = Component,
            ReportingInstance = instance.Length > 128 ? instance[..128] : instance,
        };
        try
        {
            await member.Client.CreateAsync(ResourceTypes.Events, created, cancellationToken).ConfigureAwait(false);
            EventLog.Recorded(logger, type, reason, meta.Namespace, meta.Name, member.Name, text);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Kept as sent: a member that refuses events (no RBAC for them) is said once per interval, not per retry.
            EventLog.NotRecorded(logger, reason, meta.Namespace, meta.Name, member.Name, e.Message);
        }
    }

    // Bounded memory: what is older than the repeat interval no longer suppresses anything.
    private void Forget(DateTimeOffset now)
    {
        if (_sent.Count < 1024)
        {
            return;
        }

        foreach (var (key, sent) in _sent)
        {
            if (now - sent >= RepeatAfter)
            {
                _sent.TryRemove(key, out _);
            }
        }
    }
}
