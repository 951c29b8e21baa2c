using DnsMcs.Kubernetes.Configuration;

namespace DnsMcs.Controller;

/// <summary>
/// One member cluster: its cluster id and how to reach it. <see cref="Configuration"/>, when set,
/// wins over the kubeconfig (hosts and tests that build the configuration themselves); an empty
/// <see cref="Kubeconfig"/> means the in-cluster service account.
/// </summary>
public sealed record MemberSettings(string Name, string? Kubeconfig = null, string? Context = null)
{
    public KubernetesClientConfiguration? Configuration { get; init; }

    /// <summary>Parses the CLI form NAME=KUBECONFIG[@CONTEXT] (NAME= alone: in-cluster).</summary>
    public static MemberSettings Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"'{text}' is not NAME=KUBECONFIG[@CONTEXT]");
        }

        var name = text[..equals];
        var rest = text[(equals + 1)..];

        // A context never contains '/', a path may contain '@': split at the last '@' after the last '/'.
        var at = rest.LastIndexOf('@');
        if (at >= 0 && at > rest.LastIndexOf('/'))
        {
            if (at == rest.Length - 1)
            {
                throw new FormatException($"{text}: the context after '@' is empty");
            }

            return new MemberSettings(name, rest[..at], rest[(at + 1)..]);
        }

        return new MemberSettings(name, rest.Length == 0 ? null : rest);
    }

    internal KubernetesClientConfiguration Load() =>
        Configuration
        ?? (string.IsNullOrEmpty(Kubeconfig) && InClusterConfiguration.IsAvailable() ? InClusterConfiguration.Load() : KubeConfigLoader.Load(Kubeconfig, Context));
}
