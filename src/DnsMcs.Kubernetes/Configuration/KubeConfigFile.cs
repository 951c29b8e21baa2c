using System.Text.Json.Serialization;
using DnsMcs.Kubernetes.Yaml;

namespace DnsMcs.Kubernetes.Configuration;

// The kubeconfig schema (client-go clientcmd/api/v1), only the fields we honour. Keys mix
// kebab-case ("certificate-authority-data") and camelCase ("tokenFile", exec fields), so each
// one is named explicitly. Read as kubectl reads it: YAML -> JSON -> these types (KubeConfigJsonContext).
internal sealed class KubeConfigFile
{
    [JsonPropertyName("current-context")]
    public string? CurrentContext { get; set; }

    [JsonPropertyName("clusters")]
    public List<NamedCluster>? Clusters { get; set; }

    [JsonPropertyName("users")]
    public List<NamedUser>? Users { get; set; }

    [JsonPropertyName("contexts")]
    public List<NamedContext>? Contexts { get; set; }
}

internal sealed class NamedCluster
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("cluster")]
    public ClusterEntry? Cluster { get; set; }
}

internal sealed class ClusterEntry
{
    [JsonPropertyName("server")]
    public string? Server { get; set; }

    [JsonPropertyName("certificate-authority")]
    public string? CertificateAuthority { get; set; }

    [JsonPropertyName("certificate-authority-data")]
    public string? CertificateAuthorityData { get; set; }

    [JsonPropertyName("insecure-skip-tls-verify")]
    public bool InsecureSkipTlsVerify { get; set; }

    [JsonPropertyName("tls-server-name")]
    public string? TlsServerName { get; set; }

    [JsonPropertyName("proxy-url")]
    public string? ProxyUrl { get; set; }
}

internal sealed class NamedUser
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("user")]
    public UserEntry? User { get; set; }
}

internal sealed class UserEntry
{
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("tokenFile")]
    public string? TokenFile { get; set; }

    [JsonPropertyName("client-certificate")]
    public string? ClientCertificate { get; set; }

    [JsonPropertyName("client-certificate-data")]
    public string? ClientCertificateData { get; set; }

    [JsonPropertyName("client-key")]
    public string? ClientKey { get; set; }

    [JsonPropertyName("client-key-data")]
    public string? ClientKeyData { get; set; }

    [JsonPropertyName("exec")]
    public ExecEntry? Exec { get; set; }

    // Read only to refuse them clearly: DnsMcs implements neither (see KubeConfigLoader).
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }

    [JsonPropertyName("auth-provider")]
    public AuthProviderEntry? AuthProvider { get; set; }
}

internal sealed class AuthProviderEntry
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("config")]
    public Dictionary<string, string>? Config { get; set; }
}

internal sealed class ExecEntry
{
    [JsonPropertyName("command")]
    public string? Command { get; set; }

    [JsonPropertyName("args")]
    public List<string>? Args { get; set; }

    [JsonPropertyName("env")]
    public List<ExecEnvVar>? Env { get; set; }

    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("installHint")]
    public string? InstallHint { get; set; }

    [JsonPropertyName("provideClusterInfo")]
    public bool ProvideClusterInfo { get; set; }

    [JsonPropertyName("interactiveMode")]
    public string? InteractiveMode { get; set; }
}

internal sealed class ExecEnvVar
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

internal sealed class NamedContext
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("context")]
    public ContextEntry? Context { get; set; }
}

internal sealed class ContextEntry
{
    [JsonPropertyName("cluster")]
    public string? Cluster { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>
/// The kubeconfig types without reflection. Every YAML scalar arrives as a string (<see cref="YamlJsonWriter.ScalarTyping.NullOrString"/>),
/// so a token or namespace that looks like a number stays as written; the booleans are read from those strings.
/// </summary>
[JsonSourceGenerationOptions(Converters = [typeof(YamlBooleanConverter)])]
[JsonSerializable(typeof(KubeConfigFile))]
internal sealed partial class KubeConfigJsonContext : JsonSerializerContext
{
}
