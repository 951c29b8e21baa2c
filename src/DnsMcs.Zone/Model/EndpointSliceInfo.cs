using System.Collections.Immutable;
using System.Net.Sockets;

namespace DnsMcs.Zone.Model;

/// <summary>
/// The slim copy of an MCS EndpointSlice: which service and cluster it belongs to, its address family,
/// its ports and its endpoints. <see cref="ClusterId"/> null means the local cluster (see ClusterProperty id.k8s.io).
/// The namespace, cluster id and port list are shared with every other slice that has the same (<see cref="ModelPool"/>).
/// </summary>
public sealed record EndpointSliceInfo(
    string Namespace,
    string Name,
    string ServiceName,
    string? ClusterId,
    AddressFamily AddressFamily,
    ImmutableArray<PortInfo> Ports,
    ImmutableArray<EndpointInfo> Endpoints)
{
    public string Namespace { get; init; } = ModelPool.Share(Namespace)!;

    public string? ClusterId { get; init; } = ModelPool.Share(ClusterId);

    public ImmutableArray<PortInfo> Ports { get; init; } = ModelPool.Share(Ports);
}
