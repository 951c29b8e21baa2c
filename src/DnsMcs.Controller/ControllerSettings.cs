using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Controller;

/// <summary>Everything <c>dnsmcs controller</c> is told on its command line.</summary>
public sealed record ControllerSettings
{
    public required IReadOnlyList<MemberSettings> Members { get; init; }

    public ImportPolicy ImportPolicy { get; init; } = ImportPolicy.All;

    /// <summary>Told about reconciles, leadership and queue depth (metrics); none by default.</summary>
    public IControllerObserver? Observer { get; init; }

    /// <summary>Where the controller reports what keeps it from working (the host shows them in /ready).</summary>
    public ControllerProblems Problems { get; init; } = new();

    /// <summary>Every Service in a namespace starting with one of these is exported (Kosmos's --auto-mcs-prefix).</summary>
    public IReadOnlyList<string> AutoExportNamespacePrefixes { get; init; } = [];

    /// <summary>After a member has been unreachable this long its endpoints are withdrawn; null keeps them forever.</summary>
    public TimeSpan? StaleClusterTimeout { get; init; }

    /// <summary>Every key is reconciled again this often, repairing anything a missed event left behind.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a new leader waits for every member's first sync before reconciling with the members
    /// it has: merging without a member would briefly import a different type or ports than with it.
    /// </summary>
    public TimeSpan InitialSyncTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int Workers { get; init; } = 4;

    /// <summary>Overall reconciles per second (token bucket) and its burst.</summary>
    public double QueueRate { get; init; } = 100;

    public int QueueBurst { get; init; } = 500;

    /// <summary>Per-key retry backoff after a failed reconcile: doubles from the base up to the max.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    public LeaderElectionSettings LeaderElection { get; init; } = new();

    /// <summary>Server-side apply field manager.</summary>
    public string FieldManager { get; init; } = "dnsmcs-controller";

    /// <summary>Watch tuning for every member; null for the defaults.</summary>
    public ResourceWatcherOptions? WatcherOptions { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
