using System.Collections.Immutable;
using System.Net;

namespace DnsMcs.Zone.Model;

/// <summary>One endpoint of a slice: addresses of the slice's family, optional hostname, readiness.</summary>
public sealed record EndpointInfo(ImmutableArray<IPAddress> Addresses, string? Hostname, bool Ready);
