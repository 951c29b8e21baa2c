using System.Collections.Immutable;
using System.Net;

namespace DnsMcs.Zone.Model;

/// <summary>The slim copy of a ServiceImport: only what DNS answers need. Namespace and ports are shared (<see cref="ModelPool"/>).</summary>
public sealed record ServiceInfo(
    string Namespace,
    string Name,
    ServiceType Type,
    ImmutableArray<IPAddress> Ips,
    ImmutableArray<PortInfo> Ports)
{
    public string Namespace { get; init; } = ModelPool.Share(Namespace)!;

    public ImmutableArray<PortInfo> Ports { get; init; } = ModelPool.Share(Ports);
}
