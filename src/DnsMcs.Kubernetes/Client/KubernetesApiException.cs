using System.Net;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>The API server refused a request; carries its HTTP status and, when it sent one, its Status object.</summary>
public class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesApiException(HttpStatusCode statusCode, Status? status, string request)
        : base(FormatMessage(statusCode, status, request))
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    public Status? Status { get; }

    /// <summary>Status.reason, e.g. "Expired", "Conflict", "AlreadyExists", "NotFound".</summary>
    public string? Reason => Status?.Reason;

    /// <summary>410 Gone: the resourceVersion or continue token is older than the server's history.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    private static string FormatMessage(HttpStatusCode statusCode, Status? status, string request) =>
        status?.Message is { Length: > 0 } message
            ? $"{request}: {(int)statusCode} {status.Reason}: {message}"
            : $"{request}: {(int)statusCode} {statusCode}";
}

/// <summary>409 Conflict on update: the object changed since it was read (or already exists on create).</summary>
public sealed class KubernetesConflictException : KubernetesApiException
{
    public KubernetesConflictException()
    {
    }

    public KubernetesConflictException(string message)
        : base(message)
    {
    }

    public KubernetesConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesConflictException(Status? status, string request)
        : base(HttpStatusCode.Conflict, status, request)
    {
    }

    public bool AlreadyExists => string.Equals(Reason, "AlreadyExists", StringComparison.Ordinal);
}
