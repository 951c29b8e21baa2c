using System.Text.Json.Serialization;

namespace DnsMcs.Kubernetes.Credentials;

// client.authentication.k8s.io ExecCredential, as written to KUBERNETES_EXEC_INFO and read
// back from the plugin's stdout (same shape in v1 and v1beta1 for the fields we use).
internal sealed class ExecCredential
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ExecCredentialSpec? Spec { get; set; }

    public ExecCredentialStatus? Status { get; set; }
}

internal sealed class ExecCredentialSpec
{
    public bool Interactive { get; set; }

    public ExecCluster? Cluster { get; set; }
}

internal sealed class ExecCluster
{
    public string? Server { get; set; }

    public string? TlsServerName { get; set; }

    public bool? InsecureSkipTlsVerify { get; set; }

    public string? CertificateAuthorityData { get; set; }
}

internal sealed class ExecCredentialStatus
{
    public DateTimeOffset? ExpirationTimestamp { get; set; }

    public string? Token { get; set; }

    public string? ClientCertificateData { get; set; }

    public string? ClientKeyData { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExecCredential))]
internal sealed partial class ExecCredentialJsonContext : JsonSerializerContext
{
}
