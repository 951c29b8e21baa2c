using System.Net;
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
/// What cannot work is said once, with the fix, in <see cref="ControllerProblems"/> (and /ready), not
/// on every retry: a Lease namespace that does not exist is created (a fresh cluster has none), and
/// if RBAC forbids that, or forbids a Lease verb, the problem names the member, the object and the fix.
/// </summary>
internal sealed class LeaderElector(KubernetesClient client, string member, string ns, string name, string identity, LeaderElectionSettings settings, ControllerProblems problems, ILogger logger, TimeProvider time)
{
    private const string LeaseProblem = "lease";
    private string? _lastFailure;

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
        var verb = "get";
        try
        {
            var lease = await client.GetAsync(ResourceTypes.Leases, ns, name, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                verb = "create";
                try
                {
                    await client.CreateAsync(ResourceTypes.Leases, NewLease(ns, name, identity, duration, now), cancellationToken).ConfigureAwait(false);
                }
                catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.NotFound && e.Status?.Message?.StartsWith("namespaces \"", StringComparison.Ordinal) == true)
                {
                    // 404 on create: the namespace does not exist. Create it (a fresh cluster has no
                    // dnsmcs-system) and take the Lease at the next try.
                    verb = "create namespace";
                    await CreateNamespaceAsync(cancellationToken).ConfigureAwait(false);
                    return false;
                }

                Observe(identity, now);
                Succeeded();
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
                // A standby: nothing is wrong.
                Succeeded();
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
            verb = "update";
            await client.UpdateAsync(ResourceTypes.Leases, lease, cancellationToken).ConfigureAwait(false);
            Observe(identity, now);
            Succeeded();
            return true;
        }
        catch (KubernetesConflictException)
        {
            // Someone else wrote the Lease between our read and write: they won this round.
            return false;
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            problems.Report(LeaseProblem, verb == "create namespace"
                ? $"member {member}: the Lease namespace {ns} does not exist and RBAC forbids creating it; create it (kubectl --context <{member}'s context> create namespace {ns}) or pass --lease-namespace with one that exists"
                : $"member {member}: RBAC forbids {verb} on Lease {ns}/{name} ({e.Status?.Message ?? e.Message}); grant get, create and update on coordination.k8s.io leases in {ns} (deploy/controller/leader-election-role.yaml), or pass --lease-namespace/--lease-member", logger);
            return false;
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Failed(e);
            return false;
        }
    }

    private async Task CreateNamespaceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateAsync(ResourceTypes.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = ns } }, cancellationToken).ConfigureAwait(false);
            ControllerLog.CreatedLeaseNamespace(logger, ns, member);
        }
        catch (KubernetesConflictException e) when (e.AlreadyExists)
        {
            // Created meanwhile (by a user or another replica): the next try takes the Lease.
        }
    }

    /// <summary>A failure that may pass by itself (a network error, a 5xx): the first of a kind is a warning and a problem, repeats are debug.</summary>
    private void Failed(Exception e)
    {
        var reason = e is OperationCanceledException ? "request timed out" : e.Message;
        if (string.Equals(reason, _lastFailure, StringComparison.Ordinal))
        {
            ControllerLog.LeaseFailedAgain(logger, ns, name, reason);
            return;
        }

        _lastFailure = reason;
        ControllerLog.LeaseFailed(logger, ns, name, reason);
        problems.Report(LeaseProblem, $"member {member}: Lease {ns}/{name} cannot be read or written: {reason}", logger);
    }

    private void Succeeded()
    {
        _lastFailure = null;
        problems.Clear(LeaseProblem, logger);
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
            ControllerLog.LeaseFailed(logger, ns, name, e.Message);
        }
    }
}
