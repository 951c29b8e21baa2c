using DnsMcs.Kubernetes.Client;

namespace DnsMcs.Controller;

/// <summary>The labels and annotations the controller reads and writes.</summary>
internal static class McsLabels
{
    /// <summary>On our EndpointSlices: never the default "endpointslice-controller.k8s.io", so kube's controllers leave them alone.</summary>
    public const string EndpointSliceManagedBy = "endpointslice.kubernetes.io/managed-by";

    public const string EndpointSliceManager = "dnsmcs-controller.multicluster.x-k8s.io";

    /// <summary>On our ServiceImports, derived Services and auto-created ServiceExports.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    public const string Manager = "dnsmcs-controller";

    public const string ServiceName = ResourceTypes.MulticlusterServiceNameLabel;

    public const string SourceCluster = ResourceTypes.MulticlusterSourceClusterLabel;

    public const string KubeServiceName = ResourceTypes.ServiceNameLabel;

    /// <summary>On a ServiceImport: its derived Service.</summary>
    public const string DerivedServiceAnnotation = "multicluster.kubernetes.io/derived-service";

    /// <summary>On a derived Service: the ServiceImport it serves.</summary>
    public const string ServiceImportAnnotation = "multicluster.kubernetes.io/service-import-name";

    /// <summary>On a mirrored slice: the source slice it copies, for people reading it.</summary>
    public const string SourceSliceAnnotation = "multicluster.dnsmcs.io/source-slice";

    /// <summary>On a mirrored slice: the addresses left out because the ServiceImport lists them disconnected (the prober keeps probing them).</summary>
    public const string WithheldAddressesAnnotation = "multicluster.dnsmcs.io/withheld-addresses";

    /// <summary>On an auto-created ServiceExport.</summary>
    public const string AutoExportedLabel = "multicluster.dnsmcs.io/auto-exported";

    /// <summary>On a Service: "true" exports it without a hand-written ServiceExport.</summary>
    public const string AutoCreateAnnotation = "kosmos.io/auto-create-mcs";

    /// <summary>On a ServiceImport: comma-separated addresses the member cannot reach.</summary>
    public const string DisconnectedAddressAnnotation = "kosmos.io/disconnected-address";

    public static bool IsOurs(Kubernetes.Models.ObjectMeta meta) =>
        meta.Labels is { } labels && labels.TryGetValue(ManagedBy, out var manager) && manager == Manager;

    public static bool IsOurSlice(Kubernetes.Models.ObjectMeta meta) =>
        meta.Labels is { } labels && labels.TryGetValue(EndpointSliceManagedBy, out var manager) && manager == EndpointSliceManager;

    public static string? Label(Kubernetes.Models.ObjectMeta meta, string key) =>
        meta.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    public static string? Annotation(Kubernetes.Models.ObjectMeta meta, string key) =>
        meta.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
}
