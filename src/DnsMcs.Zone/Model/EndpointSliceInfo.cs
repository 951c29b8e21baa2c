using System.Collections.Immutable;
using System.Net.Sockets;

namespace DnsMcs.Zone.Model;

/// <summary>
/// The slim copy of an MCS EndpointSlice: which service and cluster it belongs to, its address family,
/// its ports and its endpoints. <see cref="ClusterId"/> null means the local cluster (see ClusterProperty id.k8s.io).
/// </summary>
public sealed record EndpointSliceInfo(
    string Namespace,
    string Name,
    string ServiceName,
    string? ClusterId,
    AddressFamily AddressFamily,
    ImmutableArray<PortInfo> Ports,
    ImmutableArray<EndpointInfo> Endpoints);
