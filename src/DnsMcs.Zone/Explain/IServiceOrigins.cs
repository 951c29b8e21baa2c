using System.Net;

namespace DnsMcs.Zone.Explain;

/// <summary>
/// Where a service's VIPs came from when the source built the service itself rather than reading a ServiceImport
/// (centralized mode merges every member's exported Service): the source knows, the index does not.
/// </summary>
public interface IServiceOrigins
{
    /// <summary>The rule and the objects behind <paramref name="address"/> of the service, or null when the source has none to tell.</summary>
    AddressOrigin? OriginOf(string @namespace, string service, IPAddress address);
}

/// <summary>The rule that put an address in the service's answer and the objects it came from.</summary>
public sealed record AddressOrigin(string Rule, IReadOnlyList<RecordSource> From);
