using DnsMcs.Zone.Model;

namespace DnsMcs.Zone;

/// <summary>
/// The narrow update API of the answer index. Sources call it; every call recomputes only the
/// services it touches and publishes them atomically (readers see a service's old or new answers,
/// never a mix). Calls are serialised internally; readers never wait on them.
/// </summary>
public interface IClusterSetWriter
{
    /// <summary>Adds or replaces a service (a ServiceImport, or a centralized source's merged export).</summary>
    void PutService(ServiceInfo service);

    void RemoveService(string @namespace, string name);

    /// <summary>Adds or replaces an EndpointSlice, keyed by namespace and slice name.</summary>
    void PutEndpointSlice(EndpointSliceInfo slice);

    void RemoveEndpointSlice(string @namespace, string name);

    /// <summary>A Namespace object is known (the namespace exists for DNS even with no service).</summary>
    void PutNamespace(string name);

    void RemoveNamespace(string name);

    /// <summary>The local cluster id (ClusterProperty id.k8s.io); slices without a source-cluster label belong to it.</summary>
    void SetLocalClusterId(string? clusterId);

    /// <summary>Defers recomputation until the returned scope is disposed, so a bulk load computes each service once.</summary>
    IDisposable Batch();

    /// <summary>Declares a source; negative answers are SERVFAIL until every declared source is synced.</summary>
    void RegisterSource(string source);

    /// <summary>The source finished its first full list (or load).</summary>
    void MarkSynced(string source);
}
