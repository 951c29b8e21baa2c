using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Sources;

/// <summary>
/// Kubernetes objects -> the index's slim models, for the sources that read MCS objects (files, distributed
/// mode). It checks what belongs to the object (apiVersion, metadata, the KEP-1645 labels) and hands the
/// fields to <see cref="ZoneModelParts"/>, which holds the rules for the parts. It validates instead of
/// throwing and knows nothing of files, so the manifest and Kubernetes sources both use it.
/// </summary>
internal static class ObjectTranslator
{
    private const string ServiceNameLabel = ResourceTypes.MulticlusterServiceNameLabel;
    private const string SourceClusterLabel = ResourceTypes.MulticlusterSourceClusterLabel;
    private const string DiscoveryGroup = "discovery.k8s.io";
    private const string AboutGroup = "about.k8s.io";

    private static readonly string ServiceNameLabelPath = $"metadata.labels['{ServiceNameLabel}']";
    private static readonly string SourceClusterLabelPath = $"metadata.labels['{SourceClusterLabel}']";

    public static TranslationResult<ClusterSetObject> Translate(KubernetesObject obj) => obj switch
    {
        ServiceImport serviceImport => TranslateServiceImport(serviceImport),
        EndpointSlice slice => TranslateEndpointSlice(slice),
        Namespace ns => TranslateNamespace(ns),
        ClusterProperty property => TranslateClusterProperty(property),
        _ => TranslationFailure.Ignored($"kind {obj.Kind ?? obj.GetType().Name} is not served"),
    };

    public static TranslationResult<ClusterSetObject> TranslateServiceImport(ServiceImport obj)
    {
        if ((CheckApiVersion(obj, ResourceTypes.MulticlusterGroup, ResourceTypes.MulticlusterVersions) ?? CheckNamespacedName(obj)) is { } failure)
        {
            return failure;
        }

        var spec = obj.Spec ?? new ServiceImportSpec();
        var service = ZoneModelParts.Service(obj.Metadata.Namespace!, obj.Metadata.Name!, spec.Type, spec.Ips, spec.Ports);
        return service.IsTranslated ? new ServiceObject(service.Value) : service.Failure!;
    }

    public static TranslationResult<ClusterSetObject> TranslateEndpointSlice(EndpointSlice obj)
    {
        if (CheckApiVersion(obj, DiscoveryGroup, ["v1"]) is { } versionFailure)
        {
            return versionFailure;
        }

        var labels = obj.Metadata.Labels;
        if (labels is null || !labels.TryGetValue(ServiceNameLabel, out var serviceName))
        {
            // Every ordinary Service has slices; only those labelled for a ServiceImport are ours.
            return TranslationFailure.Ignored($"no {ServiceNameLabel} label");
        }

        if (CheckNamespacedName(obj) is { } nameFailure)
        {
            return nameFailure;
        }

        var service = ZoneModelParts.Label(ServiceNameLabelPath, serviceName, "service name");
        if (!service.IsTranslated)
        {
            return service.Failure!;
        }

        string? clusterId = null;
        if (labels.TryGetValue(SourceClusterLabel, out var sourceCluster))
        {
            var cluster = ZoneModelParts.ClusterId(SourceClusterLabelPath, sourceCluster);
            if (!cluster.IsTranslated)
            {
                return cluster.Failure!;
            }

            clusterId = cluster.Value;
        }

        var slice = ZoneModelParts.Slice(obj.Metadata.Namespace!, obj.Metadata.Name!, service.Value, clusterId, obj.AddressType, obj.Ports, obj.Endpoints);
        return slice.IsTranslated ? new EndpointSliceObject(slice.Value) : slice.Failure!;
    }

    public static TranslationResult<ClusterSetObject> TranslateNamespace(Namespace obj)
    {
        if (CheckApiVersion(obj, string.Empty, ["v1"]) is { } versionFailure)
        {
            return versionFailure;
        }

        var name = ZoneModelParts.Label("metadata.name", obj.Metadata.Name, "namespace name");
        return name.IsTranslated ? new NamespaceObject(name.Value) : name.Failure!;
    }

    public static TranslationResult<ClusterSetObject> TranslateClusterProperty(ClusterProperty obj)
    {
        if (CheckApiVersion(obj, AboutGroup, null) is { } versionFailure)
        {
            return versionFailure;
        }

        if (!string.Equals(obj.Metadata.Name, LocalClusterIdObject.PropertyName, StringComparison.Ordinal))
        {
            return TranslationFailure.Ignored($"ClusterProperty {obj.Metadata.Name} is not {LocalClusterIdObject.PropertyName}");
        }

        var value = obj.Spec?.Value;
        if (string.IsNullOrEmpty(value))
        {
            return TranslationFailure.Invalid("spec.value", "is required");
        }

        var clusterId = ZoneModelParts.ClusterId("spec.value", value);
        return clusterId.IsTranslated ? new LocalClusterIdObject(clusterId.Value) : clusterId.Failure!;
    }

    // Objects from another group that happen to share a kind name (Submariner's lighthouse.submariner.io
    // ServiceImport, say) are not ours; our group at a version we do not know is an error worth seeing.
    private static TranslationFailure? CheckApiVersion(KubernetesObject obj, string group, IReadOnlyList<string>? versions)
    {
        var apiVersion = obj.ApiVersion ?? string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var actualGroup = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        if (!string.Equals(actualGroup, group, StringComparison.Ordinal))
        {
            return TranslationFailure.Ignored($"apiVersion {apiVersion} is not served for {obj.Kind}");
        }

        if (versions is not null && !versions.Contains(version, StringComparer.Ordinal))
        {
            var expected = string.Join(" or ", versions.Order(StringComparer.Ordinal).Select(v => group.Length == 0 ? v : $"{group}/{v}"));
            return TranslationFailure.Invalid("apiVersion", $"\"{apiVersion}\" is not supported; expected {expected}");
        }

        return null;
    }

    private static TranslationFailure? CheckNamespacedName(KubernetesObject obj)
    {
        if (string.IsNullOrEmpty(obj.Metadata.Name))
        {
            return TranslationFailure.Invalid("metadata.name", "is required");
        }

        // A file has no kubectl context to default the namespace from, and guessing "default" would serve the wrong name.
        if (ZoneModelParts.Label("metadata.namespace", obj.Metadata.Namespace, "namespace name").Failure is { } namespaceFailure)
        {
            return namespaceFailure;
        }

        // A ServiceImport's name is a label of every name we serve; a slice's name is only a key.
        return obj is ServiceImport ? ZoneModelParts.Label("metadata.name", obj.Metadata.Name, "service name").Failure : null;
    }
}
