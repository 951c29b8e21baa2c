using System.Text.Json.Nodes;
using DnsMcs.Controller.Events;
using DnsMcs.Controller.Members;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Sync;

/// <summary>
/// Reconciles one namespace/name across every member, reading only the watchers' caches and
/// writing only what differs:
/// 1. auto-export: create (or withdraw) our ServiceExport for annotated or prefixed Services;
/// 2. merge the valid exports of synced, non-stale members (<see cref="ServiceExportMerger"/>);
/// 3. write each ServiceExport's conditions;
/// 4. in each importing member: the ServiceImport, the derived Service and its VIP, status.clusters,
///    and the mirrored EndpointSlices; everything of ours that is no longer wanted goes.
/// A member that has not synced yet is unknown, not empty: nothing it may export is withdrawn.
/// A failure in one member does not stop the others; the key is retried with backoff.
/// </summary>
internal sealed class ServiceReconciler(ControllerSettings settings, IReadOnlyList<MemberCluster> members, ILogger logger, TimeProvider time, ExportEventRecorder? events = null)
{
    public async Task<int> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var now = time.GetUtcNow();
        var known = members.Where(m => m.IsSynced).ToList();
        var unknown = members.Where(m => !m.IsSynced).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var errors = new List<Exception>();
        var writes = 0;

        // 1. Auto-export.
        var withdrawn = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in known.Where(m => m.IsConnected))
        {
            writes += await TryAsync(errors, member, key, "export", () => AutoExportAsync(member, key, ns, name, withdrawn, cancellationToken)).ConfigureAwait(false);
        }

        // 2. Merge.
        var candidates = new List<ExportCandidate>();
        var exports = new List<(MemberCluster Member, ServiceExport Export, (string Reason, string Message)? Invalid)>();
        foreach (var member in known)
        {
            if (member.GetExport(key) is not { Metadata.DeletionTimestamp: null } export || withdrawn.Contains(member.Name))
            {
                continue;
            }

            var service = member.GetService(key) is { } s && !McsLabels.IsOurs(s.Metadata) ? s : null;
            var invalid = ServiceExportMerger.Validate(service);
            exports.Add((member, export, invalid));
            if (invalid is null && !member.IsStale(now))
            {
                candidates.Add(new ExportCandidate(member.Name, export, service!));
            }
        }

        var merged = ServiceExportMerger.Merge(candidates);

        // 3. Export conditions.
        foreach (var (member, export, invalid) in exports.Where(e => e.Member.IsConnected))
        {
            var conflicts = invalid is null && merged is not null ? merged.ConflictsOf(member.Name) : [];
            writes += await TryAsync(errors, member, key, "conditions", () => WriteConditionsAsync(member, export, invalid, conflicts, now, cancellationToken)).ConfigureAwait(false);
        }

        // 4. Imports. A cluster whose type conflicts is not served: its endpoints would not fit the winning type.
        var sources = merged?.Clusters
            .Where(c => !merged.ConflictsOf(c.Cluster).Any(x => x.Reason == ExportConflict.TypeConflict))
            .Select(c => members.First(m => m.Name == c.Cluster))
            .ToList() ?? [];
        foreach (var member in known.Where(m => m.IsConnected))
        {
            var failed = errors.Count;
            writes += await TryAsync(errors, member, key, "import", () => SyncImportAsync(member, key, ns, name, merged, sources, unknown, cancellationToken)).ConfigureAwait(false);
            if (events is not null && errors.Count > failed)
            {
                await events.ImportFailedAsync(exports.Where(e => e.Member.IsConnected).Select(e => (e.Member, e.Export)), member.Name, errors[^1], cancellationToken).ConfigureAwait(false);
            }
        }

        return errors.Count switch
        {
            0 => writes,
            1 => throw new ReconcileException(writes, errors[0]),
            _ => throw new ReconcileException(writes, new AggregateException(errors)),
        };
    }

    /// <summary>One step in one member; its failure is collected, and a write RBAC forbids is also a problem (once, with the fix) until it succeeds.</summary>
    private async Task<int> TryAsync(List<Exception> errors, MemberCluster member, string key, string step, Func<Task<int>> action)
    {
        var problem = $"member/{member.Name}/forbidden/{step}/{key}";
        try
        {
            var writes = await action().ConfigureAwait(false);
            settings.Problems.Clear(problem, logger);
            return writes;
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or InvalidOperationException or System.Text.Json.JsonException)
        {
            if (e is KubernetesApiException { StatusCode: System.Net.HttpStatusCode.Forbidden } forbidden)
            {
                settings.Problems.Report(problem, $"member {member.Name}: RBAC forbids a write for {key}: {forbidden.Status?.Message ?? forbidden.Message}; grant the verbs of deploy/controller/clusterrole.yaml to the controller's identity there", logger);
            }

            errors.Add(e);
            return 0;
        }
    }

    private async Task<int> AutoExportAsync(MemberCluster member, string key, string ns, string name, HashSet<string> withdrawn, CancellationToken cancellationToken)
    {
        var service = member.GetService(key);
        var export = member.GetExport(key);
        var wanted = member.IsAutoExported(service);
        if (wanted && export is null)
        {
            try
            {
                await member.Client.CreateAsync(member.ExportType, DesiredObjects.AutoExport(ns, name), cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesConflictException e) when (e.AlreadyExists)
            {
                // Someone (a user, an earlier term) made it first: its watch event brings it here.
                return 0;
            }

            Wrote("Created", "ServiceExport", ns, name, member);
            return 1;
        }

        if (!wanted && export is not null && McsLabels.IsOurs(export.Metadata) && McsLabels.Label(export.Metadata, McsLabels.AutoExportedLabel) == "true")
        {
            withdrawn.Add(member.Name);
            await member.Client.DeleteAsync(member.ExportType, ns, name, cancellationToken).ConfigureAwait(false);
            Wrote("Deleted", "ServiceExport", ns, name, member);
            return 1;
        }

        return 0;
    }

    private async Task<int> WriteConditionsAsync(MemberCluster member, ServiceExport export, (string Reason, string Message)? invalid, IReadOnlyList<ExportConflict> conflicts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var desired = ExportConditions.Desired(invalid, conflicts, member.HasReadyCondition, export.Metadata.Generation);
        if (ExportConditions.Merge(export.Status?.Conditions, desired, now) is not { } conditions)
        {
            return 0;
        }

        // A stale resourceVersion is a 409, and the retry reads the newer object from the cache.
        await member.Client.UpdateStatusAsync(member.ExportType, DesiredObjects.ExportStatus(export, conditions), cancellationToken).ConfigureAwait(false);
        Wrote("Updated status of", "ServiceExport", export.Metadata.Namespace, export.Metadata.Name, member);
        if (events is not null)
        {
            await events.ConditionsChangedAsync(member, export, export.Status?.Conditions, conditions, cancellationToken).ConfigureAwait(false);
        }
        return 1;
    }

    private async Task<int> SyncImportAsync(MemberCluster member, string key, string ns, string name, MergedExport? merged, List<MemberCluster> sources, HashSet<string> unknown, CancellationToken cancellationToken)
    {
        var import = member.GetImport(key);
        var ours = import is not null && McsLabels.IsOurs(import.Metadata);
        var wanted = merged is not null && (settings.ImportPolicy == ImportPolicy.All ? member.HasNamespace(ns) : import is not null && !ours);
        var derivedName = DerivedNames.Service(ns, name);
        if (!wanted)
        {
            return await WithdrawAsync(member, key, ns, name, import, ours, derivedName, keepAll: merged is null && unknown.Count > 0, unknown, cancellationToken).ConfigureAwait(false);
        }

        var writes = 0;
        var derived = member.GetService($"{ns}/{derivedName}");
        if (derived is not null && !McsLabels.IsOurs(derived.Metadata))
        {
            throw new InvalidOperationException($"Service {ns}/{derivedName} in {member.Name} exists and is not ours: not touching it");
        }

        // 1. The ServiceImport (with the VIPs we know of so far).
        var labelAsOurs = import is null || ours;
        var labelKeys = labelAsOurs ? DesiredObjects.ImportLabelKeys : [];
        // The v1alpha1 CRD allows one VIP (maxItems: 1): a dual-stack derived Service offers its primary family there.
        var maxIps = member.ImportType.Descriptor.Version == ResourceTypes.MulticlusterV1Alpha1 ? 1 : 2;
        var ips = merged!.IsHeadless ? [] : DesiredObjects.IpsOf(derived).Take(maxIps).ToList();
        var desired = DesiredObjects.Import(ns, name, merged, ips, derivedName, labelAsOurs);
        if (import is null || Fingerprints.Import(import, labelKeys, DesiredObjects.ImportAnnotationKeys) != Fingerprints.Import(desired, labelKeys, DesiredObjects.ImportAnnotationKeys))
        {
            import = await member.Client.ApplyAsync(member.ImportType, desired, settings.FieldManager, force: true, cancellationToken).ConfigureAwait(false);
            Wrote("Applied", "ServiceImport", ns, name, member);
            writes++;
        }

        var owner = DesiredObjects.OwnerOf(import, member.ImportType.Descriptor.ApiVersion);

        // 2. The derived Service, then its VIPs into the ServiceImport; a headless import has none.
        if (!merged.IsHeadless)
        {
            var wantService = DesiredObjects.DerivedService(ns, name, derivedName, merged, owner);
            if (derived is null || Fingerprints.DerivedService(derived, DesiredObjects.ServiceLabelKeys, DesiredObjects.ServiceAnnotationKeys) != Fingerprints.DerivedService(wantService, DesiredObjects.ServiceLabelKeys, DesiredObjects.ServiceAnnotationKeys))
            {
                derived = await member.Client.ApplyAsync(Kubernetes.Client.ResourceTypes.Services, wantService, settings.FieldManager, force: true, cancellationToken).ConfigureAwait(false);
                Wrote("Applied", "Service", ns, derivedName, member);
                writes++;
            }

            var vips = DesiredObjects.IpsOf(derived).Take(maxIps).ToList();
            if (!vips.SequenceEqual(import.Spec?.Ips ?? [], StringComparer.Ordinal))
            {
                desired.Spec!.Ips = vips;
                import = await member.Client.ApplyAsync(member.ImportType, desired, settings.FieldManager, force: true, cancellationToken).ConfigureAwait(false);
                Wrote("Applied VIPs of", "ServiceImport", ns, name, member);
                writes++;
            }
        }
        else if (derived is not null)
        {
            await member.Client.DeleteAsync(Kubernetes.Client.ResourceTypes.Services, ns, derivedName, cancellationToken).ConfigureAwait(false);
            Wrote("Deleted", "Service", ns, derivedName, member);
            writes++;
        }

        // 3. The mirrored slices: one per source slice of every serving cluster.
        var disconnected = DesiredObjects.Disconnected(import);
        var want = new Dictionary<string, EndpointSlice>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var sliceKey in source.SourceSlices.Get(key))
            {
                if (source.GetSlice(sliceKey) is { } slice)
                {
                    var mirror = DesiredObjects.Mirror(ns, name, derivedName, source.Name, slice, disconnected, owner);
                    want[mirror.Metadata.Name!] = mirror;
                }
            }
        }

        foreach (var (sliceName, mirror) in want)
        {
            var actual = member.GetSlice($"{ns}/{sliceName}");
            if (actual is null || Fingerprints.Slice(actual, DesiredObjects.SliceLabelKeys, DesiredObjects.SliceAnnotationKeys) != Fingerprints.Slice(mirror, DesiredObjects.SliceLabelKeys, DesiredObjects.SliceAnnotationKeys))
            {
                await member.Client.ApplyAsync(Kubernetes.Client.ResourceTypes.EndpointSlices, mirror, settings.FieldManager, force: true, cancellationToken).ConfigureAwait(false);
                Wrote("Applied", "EndpointSlice", ns, sliceName, member);
                writes++;
            }
        }

        writes += await DeleteSlicesAsync(member, key, ns, s => want.ContainsKey(s.Metadata.Name!) || unknown.Contains(McsLabels.Label(s.Metadata, McsLabels.SourceCluster) ?? string.Empty), cancellationToken).ConfigureAwait(false);

        // 4. status.clusters: the clusters serving endpoints (and any not yet known that still have slices here).
        var clusters = sources.Select(s => s.Name)
            .Concat(unknown.Where(u => member.MirroredSlices.Get(key).Any(k => McsLabels.Label(member.GetSlice(k)?.Metadata ?? new ObjectMeta(), McsLabels.SourceCluster) == u)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (Fingerprints.ImportStatus(import) != string.Join(',', clusters))
        {
            var patch = new JsonObject { ["status"] = new JsonObject { ["clusters"] = new JsonArray([.. clusters.Select(c => (JsonNode)new JsonObject { ["cluster"] = c })]) } };
            await member.Client.PatchAsync(member.ImportType, ns, name, patch.ToJsonString(), cancellationToken, status: true).ConfigureAwait(false);
            Wrote("Patched status of", "ServiceImport", ns, name, member);
            writes++;
        }

        return writes;
    }

    /// <summary>
    /// The service is not imported here (any more): our slices, derived Service and ServiceImport
    /// go, a user's ServiceImport is only emptied. With <paramref name="keepAll"/> (no known exporter
    /// but some member not synced yet) only slices of known clusters go: the unknown may still export.
    /// </summary>
    private async Task<int> WithdrawAsync(MemberCluster member, string key, string ns, string name, ServiceImport? import, bool ours, string derivedName, bool keepAll, HashSet<string> unknown, CancellationToken cancellationToken)
    {
        if (keepAll)
        {
            return await DeleteSlicesAsync(member, key, ns, s => unknown.Contains(McsLabels.Label(s.Metadata, McsLabels.SourceCluster) ?? string.Empty), cancellationToken).ConfigureAwait(false);
        }

        var writes = await DeleteSlicesAsync(member, key, ns, _ => false, cancellationToken).ConfigureAwait(false);
        if (member.GetService($"{ns}/{derivedName}") is { } derived && McsLabels.IsOurs(derived.Metadata))
        {
            await member.Client.DeleteAsync(Kubernetes.Client.ResourceTypes.Services, ns, derivedName, cancellationToken).ConfigureAwait(false);
            Wrote("Deleted", "Service", ns, derivedName, member);
            writes++;
        }

        if (import is null)
        {
            return writes;
        }

        if (ours)
        {
            await member.Client.DeleteAsync(member.ImportType, ns, name, cancellationToken).ConfigureAwait(false);
            Wrote("Deleted", "ServiceImport", ns, name, member);
            return writes + 1;
        }

        // A user's ServiceImport stays, but one we filled (it carries our annotation) must not keep
        // pointing at a VIP or clusters that are gone. One we never filled is someone else's: untouched.
        if (McsLabels.Annotation(import.Metadata, McsLabels.DerivedServiceAnnotation) is null)
        {
            return writes;
        }

        await member.Client.PatchAsync(member.ImportType, ns, name, $$$"""{"metadata":{"annotations":{"{{{McsLabels.DerivedServiceAnnotation}}}":null}},"spec":{"ips":[]}}""", cancellationToken).ConfigureAwait(false);
        Wrote("Cleared VIPs of", "ServiceImport", ns, name, member);
        writes++;
        if (import.Status?.Clusters is { Count: > 0 })
        {
            await member.Client.PatchAsync(member.ImportType, ns, name, """{"status":{"clusters":[]}}""", cancellationToken, status: true).ConfigureAwait(false);
            Wrote("Cleared status of", "ServiceImport", ns, name, member);
            writes++;
        }

        return writes;
    }

    private async Task<int> DeleteSlicesAsync(MemberCluster member, string key, string ns, Func<EndpointSlice, bool> keep, CancellationToken cancellationToken)
    {
        var writes = 0;
        foreach (var sliceKey in member.MirroredSlices.Get(key).ToList())
        {
            if (member.GetSlice(sliceKey) is { } slice && McsLabels.IsOurSlice(slice.Metadata) && !keep(slice))
            {
                await member.Client.DeleteAsync(Kubernetes.Client.ResourceTypes.EndpointSlices, ns, slice.Metadata.Name!, cancellationToken).ConfigureAwait(false);
                Wrote("Deleted", "EndpointSlice", ns, slice.Metadata.Name, member);
                writes++;
            }
        }

        return writes;
    }

    private void Wrote(string verb, string kind, string? ns, string? name, MemberCluster member) => ControllerLog.Wrote(logger, verb, kind, ns, name, member.Name);
}
