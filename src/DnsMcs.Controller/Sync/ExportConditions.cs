using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;

namespace DnsMcs.Controller.Sync;

/// <summary>
/// A ServiceExport's conditions as mcs-api defines them: "Valid" (reasons Valid, NoService,
/// InvalidServiceType), "Conflict" (True with the merger's reasons joined by commas, else False
/// NoConflicts) and, where v1beta1 is served, "Ready" (True Exported when its endpoints are
/// imported, else False Pending).
/// </summary>
internal static class ExportConditions
{
    public const string Valid = "Valid";
    public const string Conflict = "Conflict";
    public const string Ready = "Ready";

    public static List<Condition> Desired((string Reason, string Message)? invalid, IReadOnlyList<ExportConflict> conflicts, bool withReady, long? generation)
    {
        // A type conflict keeps this cluster's endpoints out of the import: valid, but not exported.
        var served = invalid is null && !conflicts.Any(c => c.Reason == ExportConflict.TypeConflict);
        var conditions = new List<Condition>
        {
            invalid is { } why
                ? Make(Valid, false, why.Reason, why.Message, generation)
                : Make(Valid, true, "Valid", "the Service is valid for export", generation),
            conflicts.Count > 0
                ? Make(Conflict, true, string.Join(",", conflicts.Select(c => c.Reason).Distinct(StringComparer.Ordinal)), string.Join("; ", conflicts.Select(c => c.Message)), generation)
                : Make(Conflict, false, ExportConflict.NoConflicts, "no conflicts with other exports of this service", generation),
        };
        if (withReady)
        {
            conditions.Add(served
                ? Make(Ready, true, "Exported", "the service is exported to the clusterset", generation)
                : Make(Ready, false, "Pending", invalid is null ? "the service type conflicts with the oldest export: its endpoints are not imported" : "the service is not exported until the export is valid", generation));
        }

        return conditions;
    }

    /// <summary>
    /// The conditions to write, or null when the current ones already say the same. A condition whose
    /// status did not change keeps its lastTransitionTime; conditions of other types are kept.
    /// </summary>
    public static List<Condition>? Merge(IReadOnlyList<Condition>? current, List<Condition> desired, DateTimeOffset now)
    {
        var changed = false;
        var result = new List<Condition>();
        foreach (var want in desired)
        {
            var have = current?.FirstOrDefault(c => c.Type == want.Type);
            if (have is not null && have.Status == want.Status)
            {
                want.LastTransitionTime = have.LastTransitionTime ?? Truncate(now);
                changed |= have.Reason != want.Reason || have.Message != want.Message || have.ObservedGeneration != want.ObservedGeneration || have.LastTransitionTime is null;
            }
            else
            {
                want.LastTransitionTime = Truncate(now);
                changed = true;
            }

            result.Add(want);
        }

        foreach (var other in current ?? [])
        {
            if (!desired.Exists(d => d.Type == other.Type))
            {
                result.Add(other);
            }
        }

        return changed ? result : null;
    }

    private static Condition Make(string type, bool status, string reason, string message, long? generation) =>
        new() { Type = type, Status = status ? "True" : "False", Reason = reason, Message = message, ObservedGeneration = generation };

    // metav1.Time has whole seconds: what we compare later must be what the server keeps.
    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
