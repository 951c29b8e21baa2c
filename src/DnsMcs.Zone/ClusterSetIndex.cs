using DnsMcs.Zone.Model;

namespace DnsMcs.Zone;

/// <summary>The answer index (placeholder while the real one is written).</summary>
public sealed class ClusterSetIndex : IClusterSetWriter
{
    public ClusterSetIndex(ZoneOptions options, TimeProvider? timeProvider = null)
    {
        Options = options;
        _ = timeProvider;
    }

    public ZoneOptions Options { get; }

    public void PutService(ServiceInfo service) { }

    public void RemoveService(string @namespace, string name) { }

    public void PutEndpointSlice(EndpointSliceInfo slice) { }

    public void RemoveEndpointSlice(string @namespace, string name) { }

    public void PutNamespace(string name) { }

    public void RemoveNamespace(string name) { }

    public void SetLocalClusterId(string? clusterId) { }

    public IDisposable Batch() => new MemoryStream();

    public void RegisterSource(string source) { }

    public void MarkSynced(string source) { }
}
