namespace DnsMcs.Metrics;

/// <summary>The API resources a source watches; the bounded <c>resource</c> label of the source metrics.</summary>
internal enum SourceResource
{
    ServiceImport,
    EndpointSlice,
    Namespace,
    ClusterProperty,
    ServiceExport,
    Service,
    Manifest,
}

/// <summary>What a watch reported; the bounded <c>event</c> label.</summary>
internal enum WatchEventKind
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>How a reconcile ended; the bounded <c>result</c> label.</summary>
internal enum ReconcileResult
{
    Success,
    Unchanged,
    Error,
    Requeued,
}

internal static class SourceMetricLabels
{
    public static string Resource(SourceResource resource) => resource switch
    {
        SourceResource.ServiceImport => "serviceimports",
        SourceResource.EndpointSlice => "endpointslices",
        SourceResource.Namespace => "namespaces",
        SourceResource.ClusterProperty => "clusterproperties",
        SourceResource.ServiceExport => "serviceexports",
        SourceResource.Service => "services",
        SourceResource.Manifest => "manifests",
        _ => "other",
    };

    public static string Event(WatchEventKind kind) => kind switch
    {
        WatchEventKind.Added => "added",
        WatchEventKind.Modified => "modified",
        WatchEventKind.Deleted => "deleted",
        WatchEventKind.Bookmark => "bookmark",
        WatchEventKind.Error => "error",
        _ => "other",
    };

    public static string Result(ReconcileResult result) => result switch
    {
        ReconcileResult.Success => "success",
        ReconcileResult.Unchanged => "unchanged",
        ReconcileResult.Error => "error",
        ReconcileResult.Requeued => "requeued",
        _ => "other",
    };
}
