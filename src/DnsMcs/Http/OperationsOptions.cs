using System.Net;
using DnsMcs.Explain;

namespace DnsMcs.Http;

/// <summary>Where the three HTTP endpoints listen; a null address leaves that endpoint off.</summary>
internal sealed record OperationsOptions
{
    /// <summary>/metrics, CoreDNS's <c>prometheus</c> default :9153.</summary>
    public IPEndPoint? Metrics { get; init; }

    /// <summary>/health, CoreDNS's <c>health</c> default :8080.</summary>
    public IPEndPoint? Health { get; init; }

    /// <summary>/ready, CoreDNS's <c>ready</c> default :8181.</summary>
    public IPEndPoint? Ready { get; init; }

    /// <summary>How long /health keeps answering 200 after shutdown starts (CoreDNS <c>health { lameduck }</c>).</summary>
    public TimeSpan Lameduck { get; init; }

    /// <summary>/debug/explain on the metrics listener (<c>--debug</c>); null leaves it off.</summary>
    public ExplainEndpoint? Explain { get; init; }
}
