using System.Collections.Immutable;
using System.Net;

namespace DnsMcs.Zone.Model;

/// <summary>The slim copy of a ServiceImport: only what DNS answers need.</summary>
public sealed record ServiceInfo(
    string Namespace,
    string Name,
    ServiceType Type,
    ImmutableArray<IPAddress> Ips,
    ImmutableArray<PortInfo> Ports);
