using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Leadership;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection:
/// 1. every retry period, try to take the Lease: create it, or update it (compare-and-swap on its
///    resourceVersion) when it is ours, has no holder, or has not changed for a lease duration by
///    our own clock (we never compare our clock with the holder's timestamps);
/// 2. while leading, renew every retry period; if no renewal succeeds within the renew deadline,
///    the leading work is cancelled at once, before any standby may take over;
/// 3. on shutdown, give the Lease up so a standby need not wait out the lease.
/// </summary>
internal sealed class LeaderElector(KubernetesClient client, string ns, string name, string identity, LeaderElectionSettings settings, ILogger logger, TimeProvider time)
{
    private string? _observedHolder;
    private DateTimeOffset? _observedRenew;
    private long _observedAt;

    public string Identity => identity;

    public bool IsLeader { get; private set; }

    /// <summary>Runs <paramref name="lead"/> whenever we hold the Lease, cancelling it when we lose it; returns on cancellation.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(settings.RetryPeriod, time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await LeadAsync(lead, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ControllerLog.BecameLeader(logger, identity, ns, name);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IsLeader = true;
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        var lastRenew = time.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested && !work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(settings.RetryPeriod, time, cancellationToken)).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested || work.IsCompleted)
                {
                    break;
                }

                // Bound each attempt by what is left of the renew deadline.
                var left = settings.RenewDeadline - time.GetElapsedTime(lastRenew);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                var renewed = false;
                try
                {
                    renewed = await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The deadline passed mid-request: not renewed.
                }

                if (renewed)
                {
                    lastRenew = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(lastRenew) >= settings.RenewDeadline || !string.Equals(_observedHolder, identity, StringComparison.Ordinal))
                {
                    // Past the deadline, or someone else holds it now: stop writing before anything else.
                    IsLeader = false;
                    await leading.CancelAsync().ConfigureAwait(false);
                    ControllerLog.LostLeadership(logger, identity);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            IsLeader = false;
            await leading.CancelAsync().ConfigureAwait(false);
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (cancellationToken.IsCancellationRequested && settings.ReleaseOnCancel)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var duration = (int)Math.Ceiling(settings.LeaseDuration.TotalSeconds);
        try
        {
            var lease = await client.GetAsync(ResourceTypes.Leases, ns, name, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                await client.CreateAsync(ResourceTypes.Leases, NewLease(ns, name, identity, duration, now), cancellationToken).ConfigureAwait(false);
                Observe(identity, now);
                return true;
            }

            var spec = lease.Spec ?? new LeaseSpec();
            if (!string.Equals(spec.HolderIdentity, _observedHolder, StringComparison.Ordinal) || spec.RenewTime != _observedRenew)
            {
                Observe(spec.HolderIdentity, spec.RenewTime);
            }

            var held = !string.IsNullOrEmpty(spec.HolderIdentity);
            var mine = string.Equals(spec.HolderIdentity, identity, StringComparison.Ordinal);
            var observedFor = time.GetElapsedTime(_observedAt);
            if (held && !mine && observedFor < TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? duration))
            {
                ControllerLog.LeaseHeld(logger, ns, name, spec.HolderIdentity);
                return false;
            }

            lease.Spec = new LeaseSpec
            {
                HolderIdentity = identity,
                LeaseDurationSeconds = duration,
                AcquireTime = mine ? spec.AcquireTime ?? now : now,
                RenewTime = now,
                LeaseTransitions = mine ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
            };
            await client.UpdateAsync(ResourceTypes.Leases, lease, cancellationToken).ConfigureAwait(false);
            Observe(identity, now);
            return true;
        }
        catch (KubernetesConflictException)
        {
            // Someone else wrote the Lease between our read and write: they won this round.
            return false;
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ControllerLog.LeaseFailed(logger, e, ns, name);
            return false;
        }
    }

    /// <summary>The Lease as first taken: held by us from now, no transitions yet.</summary>
    internal static Lease NewLease(string ns, string name, string identity, int durationSeconds, DateTimeOffset now) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new LeaseSpec { HolderIdentity = identity, LeaseDurationSeconds = durationSeconds, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
    };

    private void Observe(string? holder, DateTimeOffset? renew)
    {
        _observedHolder = holder;
        _observedRenew = renew;
        _observedAt = time.GetTimestamp();
    }

    /// <summary>Empties the holder so a standby takes the Lease at its next try.</summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var lease = await client.GetAsync(ResourceTypes.Leases, ns, name, timeout.Token).ConfigureAwait(false);
            if (lease?.Spec is not { } spec || !string.Equals(spec.HolderIdentity, identity, StringComparison.Ordinal))
            {
                return;
            }

            lease.Spec = new LeaseSpec { HolderIdentity = string.Empty, LeaseDurationSeconds = 1, AcquireTime = spec.AcquireTime, RenewTime = time.GetUtcNow(), LeaseTransitions = spec.LeaseTransitions };
            await client.UpdateAsync(ResourceTypes.Leases, lease, timeout.Token).ConfigureAwait(false);
            ControllerLog.Released(logger, identity);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
        {
            ControllerLog.LeaseFailed(logger, e, ns, name);
        }
    }
}
