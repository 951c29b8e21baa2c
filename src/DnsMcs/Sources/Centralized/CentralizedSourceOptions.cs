using DnsMcs.Controller;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Sources.Centralized;

/// <summary>The member clusters to read, and how long startup waits for one that does not answer.</summary>
internal sealed record CentralizedSourceOptions
{
    /// <summary>What <see cref="MemberSyncTimeout"/> is unless configured (--member-sync-timeout).</summary>
    public static readonly TimeSpan DefaultMemberSyncTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Each member's cluster id (the per-endpoint DNS label <c>&lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;.&lt;ns&gt;...</c>) and
    /// where its API server is: <see cref="MemberSettings.Kubeconfig"/> and <see cref="MemberSettings.Context"/>.
    /// </summary>
    public IReadOnlyList<MemberSettings> Members { get; init; } = [];

    /// <summary>
    /// How long the index's sync gate waits for a member's first complete lists. A member that has not
    /// listed by then is logged and counted as synced with what it has (usually nothing), so one dead
    /// cluster cannot keep every negative answer SERVFAIL forever; its objects flow in when it answers.
    /// Zero or less waits forever.
    /// </summary>
    public TimeSpan MemberSyncTimeout { get; init; } = DefaultMemberSyncTimeout;

    /// <summary>Opt in to the streaming list (sendInitialEvents) of Kubernetes 1.32+; falls back to list+watch.</summary>
    public bool StreamingList { get; init; }

    /// <summary>The longest pause between reconnection attempts to a member.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Parses <c>NAME=KUBECONFIG[@CONTEXT]</c> with the controller's grammar (one parser for both commands), then
    /// adds what DNS needs: NAME is a cluster id of one DNS label or two joined by a dot, and a kubeconfig is given.
    /// </summary>
    public static MemberSettings ParseMember(string spec)
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

        return member;
    }
}
