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
/// Each change recomputes only the service it touches:
/// 1. the candidates are the members whose export names an existing, non-ExternalName Service
///    (<see cref="ServiceExportMerger.Validate"/>);
/// 2. <see cref="ServiceExportMerger.Merge"/> decides type and ports (oldest export wins);
/// 3. a ClusterSetIP service answers with every candidate's Service ClusterIPs (routable when the
///    clusters' service networks are connected, as with Submariner); a headless one with its pods;
/// 4. each candidate's slices go in under "&lt;member&gt;/&lt;slice&gt;" with the member as cluster id,
///    so per-endpoint names carry it;
/// 5. only what differs from the last write is written, in one batch, so readers never see half.
/// Members that lose a type conflict still contribute their endpoints: the KEP resolves the conflicting
/// property by the oldest export, it does not drop the younger exports.
/// </summary>
internal sealed partial class ClusterSetView
{
    private const string EndpointSliceApiVersion = "discovery.k8s.io/v1";

    private readonly Lock _lock = new();
    private readonly IClusterSetWriter _writer;
    private readonly ILogger _logger;
    private readonly Dictionary<string, MemberObjects> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), PublishedService> _published = [];
    private readonly Dictionary<string, int> _namespaceMembers = new(StringComparer.Ordinal);

    public ClusterSetView(IClusterSetWriter writer, ILogger logger)
    {
        _writer = writer;
        _logger = logger;
    }

    /// <summary>How many merged services the index holds now (for tests and diagnostics).</summary>
    public int ServiceCount
    {
        get
        {
            lock (_lock)
            {
                return _published.Values.Count(p => p.Service is not null);
            }
        }
    }

    public void AddMember(string member)
    {
        lock (_lock)
        {
            _members.TryAdd(member, new MemberObjects(member));
        }
    }

    public void PutExport(string member, ServiceExport export)
    {
        if (Identity(export) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            _members[member].Exports[key] = export;
            Recompute(key);
        }
    }

    public void RemoveExport(string member, ServiceExport export)
    {
        if (Identity(export) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            if (_members[member].Exports.Remove(key))
            {
                Recompute(key);
            }
        }
    }

    public void PutService(string member, Service service)
    {
        if (Identity(service) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            var objects = _members[member];
            objects.Services[key] = service;
            if (objects.Exports.ContainsKey(key))
            {
                Recompute(key);
            }
        }
    }

    public void RemoveService(string member, Service service)
    {
        if (Identity(service) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            var objects = _members[member];
            if (objects.Services.Remove(key) && objects.Exports.ContainsKey(key))
            {
                Recompute(key);
            }
        }
    }

    /// <summary>The member's Services have listed once: exports still without a Service are now worth a warning.</summary>
    public void MarkServicesSynced(string member)
    {
        lock (_lock)
        {
            var objects = _members[member];
            objects.ServicesSynced = true;
            foreach (var key in objects.Exports.Keys.ToList())
            {
                Recompute(key);
            }
        }
    }

    /// <summary>A Service's own slice; false when it is invalid (logged, and its last good version kept).</summary>
    public bool PutSlice(string member, EndpointSlice slice)
    {
        if (Identity(slice) is not { } sliceKey)
        {
            return true;
        }

        var serviceName = slice.Metadata.Labels?.GetValueOrDefault(ResourceTypes.ServiceNameLabel);
        var result = string.IsNullOrEmpty(serviceName) ? null : ObjectTranslator.TranslateEndpointSlice(AsMulticlusterSlice(member, slice, serviceName));
        lock (_lock)
        {
            var objects = _members[member];
            if (result is { Outcome: TranslationOutcome.Invalid })
            {
                CentralizedSourceLog.InvalidObject(_logger, member, "EndpointSlice", slice.Key, slice.Metadata.ResourceVersion, result.Message);
                return false;
            }

            // A slice that moved to another service (or lost its label, or became FQDN) leaves its old one.
            var previousOwner = objects.SliceOwners.GetValueOrDefault(sliceKey);
            if (previousOwner is not null && (result is not { IsTranslated: true } || !string.Equals(previousOwner, serviceName, StringComparison.Ordinal)))
            {
                DetachSlice(objects, sliceKey, previousOwner);
                Recompute((sliceKey.Namespace, previousOwner));
            }

            if (result is { IsTranslated: true })
            {
                var translated = ((EndpointSliceObject)result.Object).Slice;
                var info = translated with { Name = $"{member}/{sliceKey.Name}" };
                var serviceKey = (sliceKey.Namespace, serviceName!);
                if (!objects.Slices.TryGetValue(serviceKey, out var slices))
                {
                    slices = new Dictionary<string, EndpointSliceInfo>(StringComparer.Ordinal);
                    objects.Slices[serviceKey] = slices;
                }

                slices[sliceKey.Name] = info;
                objects.SliceOwners[sliceKey] = serviceName!;
                Recompute(serviceKey);
            }

            return true;
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
                Recompute((sliceKey.Namespace, owner));
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

    /// <summary>
    /// The Service's own slice, relabelled as the MCS slice a controller would have made of it, so the
    /// one translator validates it exactly as it validates slices in distributed mode.
    /// </summary>
    private static EndpointSlice AsMulticlusterSlice(string member, EndpointSlice slice, string serviceName) => new()
    {
        ApiVersion = slice.ApiVersion ?? EndpointSliceApiVersion,
        Kind = slice.Kind ?? "EndpointSlice",
        AddressType = slice.AddressType,
        Endpoints = slice.Endpoints,
        Ports = slice.Ports,
        Metadata = new ObjectMeta
        {
            Name = slice.Metadata.Name,
            Namespace = slice.Metadata.Namespace,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ResourceTypes.MulticlusterServiceNameLabel] = serviceName,
                [ResourceTypes.MulticlusterSourceClusterLabel] = member,
            },
        },
    };

    private static void DetachSlice(MemberObjects objects, (string Namespace, string Slice) sliceKey, string owner)
    {
        objects.SliceOwners.Remove(sliceKey);
        var serviceKey = (sliceKey.Namespace, owner);
        if (objects.Slices.TryGetValue(serviceKey, out var slices) && slices.Remove(sliceKey.Slice) && slices.Count == 0)
        {
            objects.Slices.Remove(serviceKey);
        }
    }

    private void Recompute((string Namespace, string Name) key)
    {
        var candidates = new List<ExportCandidate>();
        foreach (var objects in _members.Values)
        {
            if (!objects.Exports.TryGetValue(key, out var export))
            {
                objects.InvalidExports.Remove(key);
                continue;
            }

            var service = objects.Services.GetValueOrDefault(key);
            if (ServiceExportMerger.Validate(service) is { } invalid)
            {
                if (objects.ServicesSynced && objects.InvalidExports.GetValueOrDefault(key) != invalid.Reason)
                {
                    objects.InvalidExports[key] = invalid.Reason;
                    CentralizedSourceLog.InvalidExport(_logger, key.Namespace, key.Name, objects.Name, invalid.Reason, invalid.Message);
                }

                continue;
            }

            objects.InvalidExports.Remove(key);
            candidates.Add(new ExportCandidate(objects.Name, export, service!));
        }

        var merged = ServiceExportMerger.Merge(candidates);
        var published = _published.GetValueOrDefault(key) ?? new PublishedService();
        LogConflicts(key, merged, published);
        if (merged is null)
        {
            Publish(key, published, null, []);
        }
        else if (BuildService(merged, published) is { } service)
        {
            var slices = new Dictionary<string, EndpointSliceInfo>(StringComparer.Ordinal);
            foreach (var candidate in merged.Clusters)
            {
                foreach (var slice in _members[candidate.Cluster].SlicesOf(key))
                {
                    slices[slice.Name] = slice;
                }
            }

            Publish(key, published, service, slices);
        }

        if (published.IsEmpty)
        {
            _published.Remove(key);
        }
        else
        {
            _published[key] = published;
        }
    }

    /// <summary>The merged service as the index models it; null (logged once) if the merge is not servable.</summary>
    private ServiceInfo? BuildService(MergedExport merged, PublishedService published)
    {
        // The translator validates ports exactly as it does for a ServiceImport.
        var import = new ServiceImport
        {
            ApiVersion = ResourceTypes.ServiceImports.Descriptor.ApiVersion,
            Kind = ServiceObject.KindName,
            Metadata = new ObjectMeta { Namespace = merged.Namespace, Name = merged.Name },
            Spec = new ServiceImportSpec { Type = merged.Type, Ports = [.. merged.Ports] },
        };
        var result = ObjectTranslator.TranslateServiceImport(import);
        if (!result.IsTranslated)
        {
            if (!string.Equals(published.InvalidMergeReason, result.Message, StringComparison.Ordinal))
            {
                published.InvalidMergeReason = result.Message;
                CentralizedSourceLog.InvalidMerge(_logger, merged.Namespace, merged.Name, result.Message);
            }

            return null;
        }

        published.InvalidMergeReason = null;
        var service = ((ServiceObject)result.Object).Service;
        if (merged.IsHeadless)
        {
            return service;
        }

        var ips = ImmutableArray.CreateBuilder<IPAddress>();
        foreach (var candidate in merged.Clusters)
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

        return service with { Ips = ips.ToImmutable() };
    }

    private void Publish((string Namespace, string Name) key, PublishedService published, ServiceInfo? service, Dictionary<string, EndpointSliceInfo> slices)
    {
        var serviceChanged = service is null
            ? published.Service is not null
            : published.Service is null || !ZoneModelEquality.Equal(published.Service, service);
        var gone = published.Slices.Keys.Where(name => !slices.ContainsKey(name)).ToList();
        var changed = slices.Values.Where(s => !published.Slices.TryGetValue(s.Name, out var old) || !ZoneModelEquality.Equal(old, s)).ToList();
        if (!serviceChanged && gone.Count == 0 && changed.Count == 0)
        {
            return;
        }

        using (_writer.Batch())
        {
            if (serviceChanged)
            {
                if (service is null)
                {
                    _writer.RemoveService(key.Namespace, key.Name);
                }
                else
                {
                    _writer.PutService(service);
                }

                published.Service = service;
            }

            foreach (var name in gone)
            {
                _writer.RemoveEndpointSlice(key.Namespace, name);
                published.Slices.Remove(name);
            }

            foreach (var slice in changed)
            {
                _writer.PutEndpointSlice(slice);
                published.Slices[slice.Name] = slice;
            }
        }
    }

    private void LogConflicts((string Namespace, string Name) key, MergedExport? merged, PublishedService published)
    {
        var conflicts = merged?.Conflicts
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .SelectMany(c => c.Value.Select(conflict => (Member: c.Key, Conflict: conflict)))
            .ToList() ?? [];
        var signature = string.Join('\n', conflicts.Select(c => $"{c.Member}\t{c.Conflict.Reason}\t{c.Conflict.Message}"));
        if (string.Equals(signature, published.ConflictSignature, StringComparison.Ordinal))
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

        published.ConflictSignature = signature;
    }
}
