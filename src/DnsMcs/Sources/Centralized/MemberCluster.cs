using DnsMcs.Controller;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// One member cluster of the clusterset in centralized mode: its cluster id (the per-endpoint DNS label
/// <c>&lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;.&lt;ns&gt;...</c>) and where its API server is.
/// </summary>
internal sealed record MemberCluster(string Name, string Kubeconfig, string? Context)
{
    /// <summary>
    /// Parses <c>NAME=KUBECONFIG[@CONTEXT]</c> with the controller's grammar (one parser for both commands), then
    /// adds what DNS needs: NAME is a cluster id of one DNS label or two joined by a dot, and a kubeconfig is given.
    /// </summary>
    public static MemberCluster Parse(string spec)
    {
        var member = MemberSettings.Parse(spec);
        if (NameRules.ClusterIdError(member.Name) is { } error)
        {
            throw new FormatException($"{spec}: \"{member.Name}\" is not a valid cluster id: it {error}");
        }

        if (string.IsNullOrEmpty(member.Kubeconfig))
        {
            throw new FormatException($"{spec}: the kubeconfig path is empty");
        }

        return new MemberCluster(member.Name, member.Kubeconfig, member.Context);
    }

    public override string ToString() => Context is null ? $"{Name}={Kubeconfig}" : $"{Name}={Kubeconfig}@{Context}";
}
