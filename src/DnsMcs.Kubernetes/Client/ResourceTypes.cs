using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>The resources DnsMcs reads and writes.</summary>
public static class ResourceTypes
{
    public const string MulticlusterGroup = "multicluster.x-k8s.io";

    /// <summary>multicluster.x-k8s.io v1beta1: ServiceExports gain a "Ready" condition, ServiceImports allow two VIPs.</summary>
    public const string MulticlusterV1Beta1 = "v1beta1";

    /// <summary>multicluster.x-k8s.io v1alpha1: the first published CRDs (one ServiceImport VIP).</summary>
    public const string MulticlusterV1Alpha1 = "v1alpha1";

    /// <summary>Versions of multicluster.x-k8s.io to try with <see cref="KubernetesClient.DiscoverAsync"/>, preferred first; the ones DnsMcs accepts.</summary>
    public static IReadOnlyList<string> MulticlusterVersions { get; } = [MulticlusterV1Beta1, MulticlusterV1Alpha1];

    /// <summary>Label on MCS EndpointSlices naming their ServiceImport (KEP-1645).</summary>
    public const string MulticlusterServiceNameLabel = "multicluster.kubernetes.io/service-name";

    /// <summary>Label on MCS EndpointSlices naming the cluster they come from (KEP-1645; a KEP-2149 cluster id).</summary>
    public const string MulticlusterSourceClusterLabel = "multicluster.kubernetes.io/source-cluster";

    /// <summary>Label on a Service's own EndpointSlices.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private static readonly KubernetesJsonContext Json = KubernetesJsonContext.Default;

    public static ResourceType<ServiceImport> ServiceImports { get; } = new(new(MulticlusterGroup, MulticlusterV1Alpha1, "serviceimports", true), "ServiceImport", Json.ServiceImport, Json.KubernetesListServiceImport);

    public static ResourceType<ServiceExport> ServiceExports { get; } = new(new(MulticlusterGroup, MulticlusterV1Alpha1, "serviceexports", true), "ServiceExport", Json.ServiceExport, Json.KubernetesListServiceExport);

    public static ResourceType<EndpointSlice> EndpointSlices { get; } = new(new("discovery.k8s.io", "v1", "endpointslices", true), "EndpointSlice", Json.EndpointSlice, Json.KubernetesListEndpointSlice);

    public static ResourceType<Service> Services { get; } = new(new(string.Empty, "v1", "services", true), "Service", Json.Service, Json.KubernetesListService);

    public static ResourceType<Namespace> Namespaces { get; } = new(new(string.Empty, "v1", "namespaces", false), "Namespace", Json.Namespace, Json.KubernetesListNamespace);

    /// <summary>about.k8s.io ClusterProperty (KEP-2149); cluster-scoped.</summary>
    public static ResourceType<ClusterProperty> ClusterProperties { get; } = new(new("about.k8s.io", "v1alpha1", "clusterproperties", false), "ClusterProperty", Json.ClusterProperty, Json.KubernetesListClusterProperty);

    /// <summary>coordination.k8s.io/v1 Lease, for leader election.</summary>
    public static ResourceType<Lease> Leases { get; } = new(new("coordination.k8s.io", "v1", "leases", true), "Lease", Json.Lease, Json.KubernetesListLease);

    /// <summary>core/v1 Event: what the controller reports on the objects it acts for.</summary>
    public static ResourceType<Event> Events { get; } = new(new(string.Empty, "v1", "events", true), "Event", Json.Event, Json.KubernetesListEvent);
}
