namespace DnsMcs.Kubernetes.Models;

/// <summary>
/// core/v1 Event, the fields a controller's event recorder writes (what <c>kubectl describe</c> lists under Events).
/// Written in the legacy form client-go's recorder uses: no eventTime, so firstTimestamp, lastTimestamp and count
/// carry the timing, and source.component names the writer.
/// </summary>
public sealed class Event : KubernetesObject
{
    public EventObjectReference? InvolvedObject { get; set; }

    /// <summary>UpperCamelCase, machine-readable: why the event happened (e.g. Conflict).</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }

    public EventSource? Source { get; set; }

    public DateTimeOffset? FirstTimestamp { get; set; }

    public DateTimeOffset? LastTimestamp { get; set; }

    public int? Count { get; set; }

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }
}

/// <summary>Names the object an event is about (core/v1 ObjectReference, with the fields an event needs).</summary>
public sealed class EventObjectReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }
}

public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}
