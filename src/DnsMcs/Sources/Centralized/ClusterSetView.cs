using System.Collections.Immutable;
using System.Net;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;
using DnsMcs.Zone;
using DnsMcs.Zone.Model;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// The clusterset as the centralized mode builds it, with no ServiceImport objects: every member's
/// ServiceExports, Services and EndpointSlices, merged per namespace/name and written to the index.
/// Each change touches only the service it names:
/// 1. a member contributes to a service when its export names an existing, non-ExternalName Service
///    (<see cref="MemberObjects.Contributes"/>), whatever the other members do;
/// 2. <see cref="ServiceExportMerger.Merge"/> of the contributors decides type and ports (oldest export wins);
/// 3. a ClusterSetIP service answers with every contributor's Service ClusterIPs (routable when the
///    clusters' service networks are connected, as with Submariner); a headless one with its pods;
/// 4. each contributor's slices go in under "&lt;member&gt;/&lt;slice&gt;" with the member as cluster id,
///    so per-endpoint names carry it; they are written as they change, and all at once when the member
///    starts or stops contributing;
/// 5. a change that carries nothing new (the same export time, the same Service fields, an equal slice)
///    writes nothing, since the index would rebuild the service for an equal write; what changes is
///    written in one batch, so readers never see half.
/// Members that lose a type conflict still contribute their endpoints: the KEP resolves the conflicting
/// property by the oldest export, it does not drop the younger exports.
/// What it keeps is the members' objects reduced to what DNS needs (<see cref="MemberObjects"/>), never a
/// copy of what the index holds.
/// </summary>
internal sealed partial class ClusterSetView
{
    private static readonly string ServiceNameLabelPath = $"metadata.labels['{ResourceTypes.ServiceNameLabel}']";

    private readonly Lock _lock = new();
    private readonly IClusterSetWriter _writer;
    private readonly ILogger _logger;
    private readonly Dictionary<string, MemberObjects> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), MergeLog> _logged = [];
    private readonly Dictionary<string, int> _namespaceMembers = new(StringComparer.Ordinal);

    public ClusterSetView(IClusterSetWriter writer, ILogger logger)
    {
        _writer = writer;
        _logger = logger;
    }

    public void AddMember(string member)
    {
        lock (_lock)
        {
            _members.TryAdd(member, new MemberObjects(member));
        }
    }

    /// <summary>Keeps the export's creation time; never refused (null), as the sink of a watch expects.</summary>
    public TranslationFailure? PutExport(string member, ServiceExport export) =>
        Put(member, export, m => m.Exports, MemberObjects.Slim(export), MemberObjects.SameExport);

    public void RemoveExport(string member, ServiceExport export) => Remove(member, export, m => m.Exports);

    /// <summary>Keeps the fields the merge reads; never refused (null): what the merge cannot serve, it logs.</summary>
    public TranslationFailure? PutService(string member, Service service) =>
        Put(member, service, m => m.Services, MemberObjects.Slim(service), MemberObjects.SameService);

    public void RemoveService(string member, Service service) => Remove(member, service, m => m.Services);

    /// <summary>The member's Services have listed once: exports still without a Service are now worth a warning.</summary>
    public void MarkServicesSynced(string member)
    {
        lock (_lock)
        {
            var objects = _members[member];
            objects.ServicesSynced = true;
            foreach (var key in objects.Exports.Keys)
            {
                ReportExport(objects, key);
            }
        }
    }

    /// <summary>A Service's own slice, kept translated; the failure when it is invalid (its last good version kept).</summary>
    public TranslationFailure? PutSlice(string member, EndpointSlice slice)
    {
        if (Identity(slice) is not { } sliceKey)
        {
            return null;
        }

        var serviceName = slice.Metadata.Labels?.GetValueOrDefault(ResourceTypes.ServiceNameLabel);
        var result = string.IsNullOrEmpty(serviceName) ? TranslationFailure.Ignored("not a Service's slice") : Translate(member, slice, serviceName);
        if (result.Outcome == TranslationOutcome.Invalid)
        {
            return result.Failure;
        }

        var info = result.Value;
        lock (_lock)
        {
            // A slice that moved to another service (or lost its label, or became FQDN) leaves its old one.
            var objects = _members[member];
            var previousOwner = objects.SliceOwners.GetValueOrDefault(sliceKey);
            if (previousOwner is not null && (info is null || !string.Equals(previousOwner, serviceName, StringComparison.Ordinal)))
            {
                DetachSlice(objects, sliceKey, previousOwner);
            }

            if (info is null)
            {
                return null;
            }

            var serviceKey = (sliceKey.Namespace, serviceName!);
            if (!objects.Slices.TryGetValue(serviceKey, out var slices))
            {
                slices = new Dictionary<string, EndpointSliceInfo>(StringComparer.Ordinal);
                objects.Slices[serviceKey] = slices;
            }

            if (slices.TryGetValue(sliceKey.Name, out var old) && ZoneModelEquality.Equal(old, info))
            {
                return null;
            }

            slices[sliceKey.Name] = info;
            objects.SliceOwners[sliceKey] = serviceName!;
            if (objects.Contributes(serviceKey))
            {
                using (_writer.Batch())
                {
                    _writer.PutEndpointSlice(info);
                }
            }

            return null;
        }
    }

    public void RemoveSlice(string member, EndpointSlice slice)
    {
        if (Identity(slice) is not { } sliceKey)
        {
            return;
        }

        lock (_lock)
        {
            var objects = _members[member];
            if (objects.SliceOwners.GetValueOrDefault(sliceKey) is { } owner)
            {
                DetachSlice(objects, sliceKey, owner);
            }
        }
    }

    /// <summary>A namespace exists for DNS while any member has it.</summary>
    public void PutNamespace(string member, string name)
    {
        lock (_lock)
        {
            if (_members[member].Namespaces.Add(name))
            {
                var count = _namespaceMembers.GetValueOrDefault(name) + 1;
                _namespaceMembers[name] = count;
                if (count == 1)
                {
                    _writer.PutNamespace(name);
                }
            }
        }
    }

    public void RemoveNamespace(string member, string name)
    {
        lock (_lock)
        {
            if (_members[member].Namespaces.Remove(name))
            {
                var count = _namespaceMembers.GetValueOrDefault(name) - 1;
                if (count <= 0)
                {
                    _namespaceMembers.Remove(name);
                    _writer.RemoveNamespace(name);
                }
                else
                {
                    _namespaceMembers[name] = count;
                }
            }
        }
    }

    private static (string Namespace, string Name)? Identity(KubernetesObject obj)
    {
        var ns = obj.Metadata.Namespace;
        var name = obj.Metadata.Name;
        return string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) ? null : (ns, name);
    }

    /// <summary>A member's export or Service, as its slim copy: written through only when it would merge differently.</summary>
    private TranslationFailure? Put<T>(string member, KubernetesObject obj, Func<MemberObjects, Dictionary<(string, string), T>> table, T slim, Func<T, T, bool> same)
    {
        if (Identity(obj) is not { } key)
        {
            return null;
        }

        lock (_lock)
        {
            var objects = _members[member];
            var kept = table(objects);
            if (kept.TryGetValue(key, out var old) && same(old, slim))
            {
                return null;
            }

            var contributed = objects.Contributes(key);
            kept[key] = slim;
            Changed(objects, key, contributed);
            return null;
        }
    }

    private void Remove<T>(string member, KubernetesObject obj, Func<MemberObjects, Dictionary<(string, string), T>> table)
    {
        if (Identity(obj) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            var objects = _members[member];
            var contributed = objects.Contributes(key);
            if (table(objects).Remove(key))
            {
                Changed(objects, key, contributed);
            }
        }
    }

    /// <summary>
    /// A Service's own slice as the member's part of the merged service: named "&lt;member&gt;/&lt;slice&gt;", with the
    /// member as cluster id, and checked by the same rules as an MCS slice in distributed mode.
    /// </summary>
    private static TranslationResult<EndpointSliceInfo> Translate(string member, EndpointSlice slice, string serviceName)
    {
        var service = ZoneModelParts.Label(ServiceNameLabelPath, serviceName, "service name");
        return service.IsTranslated
            ? ZoneModelParts.Slice(slice.Metadata.Namespace!, $"{member}/{slice.Metadata.Name}", service.Value, member, slice.AddressType, slice.Ports, slice.Endpoints)
            : service.Failure!;
    }

    private void DetachSlice(MemberObjects objects, (string Namespace, string Slice) sliceKey, string owner)
    {
        objects.SliceOwners.Remove(sliceKey);
        var serviceKey = (sliceKey.Namespace, owner);
        if (!objects.Slices.TryGetValue(serviceKey, out var slices) || !slices.Remove(sliceKey.Slice, out var gone))
        {
            return;
        }

        if (slices.Count == 0)
        {
            objects.Slices.Remove(serviceKey);
        }

        if (objects.Contributes(serviceKey))
        {
            using (_writer.Batch())
            {
                _writer.RemoveEndpointSlice(gone.Namespace, gone.Name);
            }
        }
    }

    /// <summary>
    /// One member's export or Service of <paramref name="key"/> changed: the merged service is written again, and
    /// the member's slices with it when the member starts or stops contributing (<paramref name="contributed"/>: before).
    /// </summary>
    private void Changed(MemberObjects member, (string Namespace, string Name) key, bool contributed)
    {
        ReportExport(member, key);
        var contributes = member.Contributes(key);
        if (!contributed && !contributes)
        {
            // Nothing of this member was or is part of the service.
            return;
        }

        using (_writer.Batch())
        {
            PublishService(key);
            if (contributes != contributed)
            {
                foreach (var slice in member.SlicesOf(key))
                {
                    if (contributes)
                    {
                        _writer.PutEndpointSlice(slice);
                    }
                    else
                    {
                        _writer.RemoveEndpointSlice(slice.Namespace, slice.Name);
                    }
                }
            }
        }
    }

    /// <summary>Logs, once per change of reason, why the member's export of <paramref name="key"/> cannot be exported.</summary>
    private void ReportExport(MemberObjects member, (string Namespace, string Name) key)
    {
        var invalid = member.Exports.ContainsKey(key) ? ServiceExportMerger.Validate(member.Services.GetValueOrDefault(key)) : null;
        if (invalid is null)
        {
            member.InvalidExports.Remove(key);
        }
        else if (member.ServicesSynced && member.InvalidExports.GetValueOrDefault(key) != invalid.Value.Reason)
        {
            member.InvalidExports[key] = invalid.Value.Reason;
            CentralizedSourceLog.InvalidExport(_logger, key.Namespace, key.Name, member.Name, invalid.Value.Reason, invalid.Value.Message);
        }
    }

    private void PublishService((string Namespace, string Name) key)
    {
        var candidates = _members.Values
            .Where(m => m.Contributes(key))
            .Select(m => new ExportCandidate(m.Name, m.Exports[key], m.Services[key]));
        var merged = ServiceExportMerger.Merge(candidates);
        var log = _logged.GetValueOrDefault(key) ?? new MergeLog();
        LogConflicts(key, merged, log);
        if (merged is null)
        {
            log.InvalidMergeReason = null;
            _writer.RemoveService(key.Namespace, key.Name);
        }
        else if (BuildService(merged, log) is { } service)
        {
            _writer.PutService(service);
        }

        if (log.IsEmpty)
        {
            _logged.Remove(key);
        }
        else
        {
            _logged[key] = log;
        }
    }

    /// <summary>The merged service as the index models it; null (logged once) if the merge is not servable, so its last good version stays.</summary>
    private ServiceInfo? BuildService(MergedExport merged, MergeLog log)
    {
        // The type and ports by the rules of a ServiceImport's; the VIPs are the members' ClusterIPs, to which
        // the one-per-family rule of spec.ips does not apply.
        var type = ZoneModelParts.ServiceType(merged.Type);
        var ports = ZoneModelParts.Ports("spec.ports", merged.Ports);
        if ((type.Failure ?? ports.Failure) is { } failure)
        {
            if (!string.Equals(log.InvalidMergeReason, failure.Message, StringComparison.Ordinal))
            {
                log.InvalidMergeReason = failure.Message;
                CentralizedSourceLog.InvalidMerge(_logger, merged.Namespace, merged.Name, failure.Message);
            }

            return null;
        }

        log.InvalidMergeReason = null;
        var ips = ImmutableArray.CreateBuilder<IPAddress>();
        foreach (var candidate in merged.IsHeadless ? Array.Empty<ExportCandidate>() : merged.Clusters)
        {
            var spec = candidate.Service.Spec;
            var clusterIps = spec?.ClusterIPs is { Count: > 0 } both ? both : spec?.ClusterIP is { } one ? [one] : [];
            foreach (var text in clusterIps)
            {
                // "None" (a headless member losing a type conflict) and "" (not allocated yet) are no address.
                if (IpText.TryParse(text, out var ip) && !ips.Contains(ip))
                {
                    ips.Add(ip);
                }
            }
        }

        return new ServiceInfo(merged.Namespace, merged.Name, type.Value, ips.ToImmutable(), ports.Value);
    }

    private void LogConflicts((string Namespace, string Name) key, MergedExport? merged, MergeLog log)
    {
        var conflicts = merged?.Conflicts
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .SelectMany(c => c.Value.Select(conflict => (Member: c.Key, Conflict: conflict)))
            .ToList() ?? [];
        var signature = string.Join('\n', conflicts.Select(c => $"{c.Member}\t{c.Conflict.Reason}\t{c.Conflict.Message}"));
        if (string.Equals(signature, log.ConflictSignature, StringComparison.Ordinal))
        {
            return;
        }

        if (conflicts.Count == 0)
        {
            CentralizedSourceLog.ConflictsResolved(_logger, key.Namespace, key.Name);
        }

        foreach (var (member, conflict) in conflicts)
        {
            CentralizedSourceLog.Conflict(_logger, key.Namespace, key.Name, member, conflict.Reason, conflict.Message);
        }

        log.ConflictSignature = signature;
    }
}
