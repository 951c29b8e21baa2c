namespace DnsMcs.FakeKubeApi;

/// <summary>A resource the fake serves. Versions of one group+plural share one store, as in a real server.</summary>
public sealed record FakeResource(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasStatusSubresource = false)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Discovery's shortNames (kubectl get svcim).</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Compiled into the real server (not a CRD): these take strategic merge patches.</summary>
    public bool IsBuiltIn => Group is "" or "discovery.k8s.io" or "coordination.k8s.io" or "apps";

    /// <summary>Key of the shared store: versions of a resource hold the same objects.</summary>
    internal string StoreKey => $"{Plural}.{Group}";

    public static FakeResource Namespaces { get; } = new(string.Empty, "v1", "namespaces", "Namespace", false, true);

    public static FakeResource Services { get; } = new(string.Empty, "v1", "services", "Service", true, true);

    public static FakeResource EndpointSlices { get; } = new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true);

    public static FakeResource ServiceImportsV1Alpha1 { get; } = new("multicluster.x-k8s.io", "v1alpha1", "serviceimports", "ServiceImport", true, true) { ShortNames = ["svcim", "svcimport"] };

    public static FakeResource ServiceImportsV1Beta1 { get; } = new("multicluster.x-k8s.io", "v1beta1", "serviceimports", "ServiceImport", true, true) { ShortNames = ["svcim", "svcimport"] };

    public static FakeResource ServiceExportsV1Alpha1 { get; } = new("multicluster.x-k8s.io", "v1alpha1", "serviceexports", "ServiceExport", true, true) { ShortNames = ["svcex", "svcexport"] };

    public static FakeResource ServiceExportsV1Beta1 { get; } = new("multicluster.x-k8s.io", "v1beta1", "serviceexports", "ServiceExport", true, true) { ShortNames = ["svcex", "svcexport"] };

    public static FakeResource ClusterProperties { get; } = new("about.k8s.io", "v1alpha1", "clusterproperties", "ClusterProperty", false);

    public static FakeResource Leases { get; } = new("coordination.k8s.io", "v1", "leases", "Lease", true);

    /// <summary>core/v1 events, which controllers write about the objects they act on.</summary>
    public static FakeResource Events { get; } = new(string.Empty, "v1", "events", "Event", true);

    /// <summary>What a cluster with the MCS API at v1alpha1 serves.</summary>
    public static IReadOnlyList<FakeResource> Defaults { get; } =
        [Namespaces, Services, EndpointSlices, ServiceImportsV1Alpha1, ServiceExportsV1Alpha1, ClusterProperties, Leases, Events];
}
