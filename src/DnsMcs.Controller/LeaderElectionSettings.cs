namespace DnsMcs.Controller;

/// <summary>Lease-based leader election; the defaults are client-go's (15 s lease, 10 s renew deadline, 2 s retry).</summary>
public sealed record LeaderElectionSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>The member holding the Lease; null for the first member.</summary>
    public string? Member { get; init; }

    /// <summary>Namespace of the Lease; null for the member configuration's namespace, else "kube-system".</summary>
    public string? Namespace { get; init; }

    public string LeaseName { get; init; } = "dnsmcs-controller";

    /// <summary>Our holderIdentity; null for the host name (the pod name in a cluster) plus a random suffix.</summary>
    public string? Identity { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Give the Lease up on shutdown so a standby takes over at once rather than after the lease duration.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
