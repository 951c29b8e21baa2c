using System.Collections.Concurrent;
using System.Diagnostics;
using DnsMcs.Zone;
using DnsMcs.Zone.Model;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>
/// Passes every write to the index and notes, per slice, when the put returned (the answer is servable
/// then), keyed by the slice's first endpoint address, so a measurement can match it to the write that
/// produced it in the fake API server.
/// </summary>
internal sealed class TimingWriter(ClusterSetIndex index) : IClusterSetWriter
{
    public ConcurrentDictionary<string, long> SlicePutAt { get; } = new(StringComparer.Ordinal);

    public void PutService(ServiceInfo service) => index.PutService(service);

    public void RemoveService(string @namespace, string name) => index.RemoveService(@namespace, name);

    public void PutEndpointSlice(EndpointSliceInfo slice)
    {
        index.PutEndpointSlice(slice);
        if (slice.Endpoints.Length > 0)
        {
            SlicePutAt[slice.Endpoints[0].Addresses[0].ToString()] = Stopwatch.GetTimestamp();
        }
    }

    public void RemoveEndpointSlice(string @namespace, string name) => index.RemoveEndpointSlice(@namespace, name);

    public void PutNamespace(string name) => index.PutNamespace(name);

    public void RemoveNamespace(string name) => index.RemoveNamespace(name);

    public void SetLocalClusterId(string? clusterId) => index.SetLocalClusterId(clusterId);

    public IDisposable Batch() => index.Batch();

    public void RegisterSource(string source) => index.RegisterSource(source);

    public void MarkSynced(string source) => index.MarkSynced(source);
}
