using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;

namespace DnsMcs.Controller.Sync;

/// <summary>
/// The objects the controller wants in an importing member, built from the merged export: the
/// ServiceImport, the derived Service that gives it a VIP, and one EndpointSlice per source slice
/// of each exporting cluster. Only fields we own are set; <see cref="Fingerprints"/> compares them.
/// </summary>
internal static class DesiredObjects
{
    public static readonly string[] ImportLabelKeys = [McsLabels.ManagedBy];
    public static readonly string[] ImportAnnotationKeys = [McsLabels.DerivedServiceAnnotation];
    public static readonly string[] ServiceLabelKeys = [McsLabels.ManagedBy, McsLabels.ServiceName];
    public static readonly string[] ServiceAnnotationKeys = [McsLabels.ServiceImportAnnotation];
    public static readonly string[] SliceLabelKeys = [McsLabels.EndpointSliceManagedBy, McsLabels.ServiceName, McsLabels.SourceCluster, McsLabels.KubeServiceName];
    public static readonly string[] SliceAnnotationKeys = [McsLabels.SourceSliceAnnotation, McsLabels.WithheldAddressesAnnotation];

    /// <param name="ours">Whether the import is (or will be) ours: a user's ServiceImport (explicit policy) gets no label of ours, so we never delete it.</param>
    public static ServiceImport Import(string ns, string name, MergedExport merged, IReadOnlyList<string> ips, string derivedService, bool ours) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = ns,
            Labels = ours ? new() { [McsLabels.ManagedBy] = McsLabels.Manager } : null,
            Annotations = new() { [McsLabels.DerivedServiceAnnotation] = derivedService },
        },
        Spec = new ServiceImportSpec
        {
            Type = merged.Type,
            Ports = [.. merged.Ports.Select(Copy)],
            Ips = [.. ips],
            SessionAffinity = merged.SessionAffinity ?? "None",
        },
    };

    /// <summary>The ServiceExport auto-export creates for a Service: labelled ours, so only ours are ever withdrawn.</summary>
    public static ServiceExport AutoExport(string ns, string name) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = ns,
            Labels = new() { [McsLabels.ManagedBy] = McsLabels.Manager, [McsLabels.AutoExportedLabel] = "true" },
        },
    };

    /// <summary>
    /// The status update of a ServiceExport: a fresh object (the cached one is shared with the watcher)
    /// carrying the cached resourceVersion, so a concurrent change is a 409 rather than lost.
    /// </summary>
    public static ServiceExport ExportStatus(ServiceExport export, List<Condition> conditions) => new()
    {
        Metadata = new ObjectMeta { Name = export.Metadata.Name, Namespace = export.Metadata.Namespace, ResourceVersion = export.Metadata.ResourceVersion },
        Status = new ServiceExportStatus { Conditions = conditions },
    };

    /// <summary>A selector-less ClusterIP Service: kube-proxy balances its VIP over the slices we label with its name.</summary>
    public static Service DerivedService(string ns, string name, string derivedService, MergedExport merged, OwnerReference owner) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = derivedService,
            Namespace = ns,
            Labels = new() { [McsLabels.ManagedBy] = McsLabels.Manager, [McsLabels.ServiceName] = name },
            Annotations = new() { [McsLabels.ServiceImportAnnotation] = name },
            OwnerReferences = [owner],
        },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            Ports = [.. merged.Ports.Select(Copy)],
            SessionAffinity = merged.SessionAffinity ?? "None",
        },
    };

    /// <summary>
    /// A copy of <paramref name="source"/> (a slice of the exported Service in <paramref name="cluster"/>)
    /// for the importing member: endpoints with their conditions and hostnames, ports, address type.
    /// Node names and target references are dropped: they name objects of the other cluster, and a
    /// node of the same name here would mislead kube-proxy's node-local routing. Addresses the
    /// member reports disconnected are left out (and listed, so the prober keeps probing them).
    /// </summary>
    public static EndpointSlice Mirror(string ns, string name, string derivedService, string cluster, EndpointSlice source, IReadOnlySet<string> disconnected, OwnerReference owner)
    {
        var withheld = new List<string>();
        var endpoints = new List<Endpoint>();
        foreach (var endpoint in source.Endpoints ?? [])
        {
            var addresses = new List<string>();
            foreach (var address in endpoint.Addresses ?? [])
            {
                (disconnected.Contains(address) ? withheld : addresses).Add(address);
            }

            if (addresses.Count == 0)
            {
                continue;
            }

            endpoints.Add(new Endpoint
            {
                Addresses = addresses,
                Conditions = endpoint.Conditions is { } c ? new EndpointConditions { Ready = c.Ready, Serving = c.Serving, Terminating = c.Terminating } : null,
                Hostname = endpoint.Hostname,
                Zone = endpoint.Zone,
            });
        }

        return new EndpointSlice
        {
            Metadata = new ObjectMeta
            {
                Name = DerivedNames.Slice(derivedService, cluster, source.Metadata.Name ?? string.Empty),
                Namespace = ns,
                Labels = new()
                {
                    [McsLabels.EndpointSliceManagedBy] = McsLabels.EndpointSliceManager,
                    [McsLabels.ServiceName] = name,
                    [McsLabels.SourceCluster] = cluster,
                    [McsLabels.KubeServiceName] = derivedService,
                },
                Annotations = new()
                {
                    [McsLabels.SourceSliceAnnotation] = source.Metadata.Name ?? string.Empty,

                    // Always present, empty when nothing is withheld, so a merge-style apply also clears it.
                    [McsLabels.WithheldAddressesAnnotation] = string.Join(',', withheld),
                },
                OwnerReferences = [owner],
            },
            AddressType = source.AddressType ?? "IPv4",
            Endpoints = endpoints,
            Ports = source.Ports?.Select(p => new EndpointPort { Name = p.Name, Protocol = p.Protocol ?? "TCP", Port = p.Port, AppProtocol = p.AppProtocol }).ToList() ?? [],
        };
    }

    public static OwnerReference OwnerOf(ServiceImport import, string apiVersion) => new()
    {
        ApiVersion = apiVersion,
        Kind = "ServiceImport",
        Name = import.Metadata.Name,
        Uid = import.Metadata.Uid,
        Controller = true,
    };

    /// <summary>The addresses of the ServiceImport annotation kosmos.io/disconnected-address.</summary>
    public static HashSet<string> Disconnected(ServiceImport? import) =>
        McsLabels.Annotation(import?.Metadata ?? new ObjectMeta(), McsLabels.DisconnectedAddressAnnotation) is { Length: > 0 } text
            ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];

    /// <summary>The VIPs of a derived Service, once allocated.</summary>
    public static List<string> IpsOf(Service? service)
    {
        var ips = service?.Spec?.ClusterIPs is { Count: > 0 } all ? all : service?.Spec?.ClusterIP is { } one ? [one] : [];
        return [.. ips.Where(ip => ip.Length > 0 && ip != "None")];
    }

    private static ServicePort Copy(ServicePort port) => new() { Name = port.Name, Protocol = port.Protocol ?? "TCP", Port = port.Port, AppProtocol = port.AppProtocol };
}
