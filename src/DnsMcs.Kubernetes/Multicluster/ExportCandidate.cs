using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Multicluster;

/// <summary>One cluster's export of a service: its ServiceExport and the Service it names.</summary>
public sealed record ExportCandidate(string Cluster, ServiceExport Export, Service Service)
{
    /// <summary>A Service with clusterIP "None" is headless; the MCS type follows.</summary>
    public bool IsHeadless => string.Equals(Service.Spec?.ClusterIP, "None", StringComparison.Ordinal);

    public string ImportType => IsHeadless ? ServiceImportTypes.Headless : ServiceImportTypes.ClusterSetIP;

    /// <summary>Conflicts are won by the oldest export; ties go to the cluster name, so every reader agrees.</summary>
    public DateTimeOffset CreatedAt => Export.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue;
}

public static class ServiceImportTypes
{
    public const string ClusterSetIP = "ClusterSetIP";
    public const string Headless = "Headless";
}
