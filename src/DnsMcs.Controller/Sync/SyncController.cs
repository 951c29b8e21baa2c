using System.Diagnostics;
using DnsMcs.Controller.Leadership;
using DnsMcs.Controller.Events;
using DnsMcs.Controller.Members;
using DnsMcs.Controller.Queue;
using DnsMcs.Kubernetes.Client;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Sync;

/// <summary>
/// The controller process: members (always watching, so a standby is warm), leader election, and
/// while leading a work queue drained by workers running <see cref="ServiceReconciler"/>, fed by
/// watch events, member state changes, a full resync every period and stale-cluster checks.
/// </summary>
internal sealed class SyncController : IMemberListener, IDisposable
{
    private readonly ControllerSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<MemberCluster> _members = [];
    private readonly ServiceReconciler _reconciler;
    private readonly Dictionary<string, bool> _stale = new(StringComparer.Ordinal);
    private WorkQueue? _queue;
    private int _reconciles;

    public SyncController(ControllerSettings settings, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        if (settings.Members.Count == 0)
        {
            throw new ArgumentException("at least one member is needed", nameof(settings));
        }

        if (settings.Members.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != settings.Members.Count)
        {
            throw new ArgumentException("member names must be unique", nameof(settings));
        }

        _settings = settings;
        settings.Observer?.QueueDepthFrom(() => Volatile.Read(ref _queue)?.Count ?? 0);
        _logger = loggerFactory.CreateLogger("DnsMcs.Controller");
        _time = time ?? TimeProvider.System;
        foreach (var member in settings.Members)
        {
            var client = new KubernetesClient(member.Load()) { RequestTimeout = settings.RequestTimeout };
            _members.Add(new MemberCluster(member.Name, client, settings, this, loggerFactory.CreateLogger($"DnsMcs.Controller.Member.{member.Name}"), _time));
        }

        // The Lease lives in the named member, else in the member we run in (the in-cluster one), else the first.
        var inCluster = settings.Members.FirstOrDefault(m => m.Configuration is null && string.IsNullOrEmpty(m.Kubeconfig))?.Name;
        var leaseMember = settings.LeaderElection.Member is { } named
            ? _members.Find(m => m.Name == named) ?? throw new ArgumentException($"lease member {named} is not a member", nameof(settings))
            : _members.Find(m => m.Name == inCluster) ?? _members[0];
        var leaseNamespace = settings.LeaderElection.Namespace ?? leaseMember.Client.Configuration.Namespace ?? "kube-system";
        var identity = settings.LeaderElection.Identity ?? $"{Environment.MachineName}_{Guid.NewGuid().ToString("N")[..8]}";
        _reconciler = new ServiceReconciler(settings, _members, _logger, _time, new ExportEventRecorder(identity, _logger, _time));
        Elector = new LeaderElector(leaseMember.Client, leaseMember.Name, leaseNamespace, settings.LeaderElection.LeaseName, identity, settings.LeaderElection, settings.Problems, _logger, _time);
    }

    public LeaderElector Elector { get; }

    public IReadOnlyList<MemberCluster> Members => _members;

    public bool IsLeading => Volatile.Read(ref _queue) is not null;

    /// <summary>Reconciles done since start (any outcome); for tests and diagnostics.</summary>
    public int Reconciles => Volatile.Read(ref _reconciles);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watching = _members.Select(m => m.RunAsync(cancellationToken)).ToList();
        var leading = _settings.LeaderElection.Enabled ? Elector.RunAsync(LeadAsync, cancellationToken) : LeadAsync(cancellationToken);
        try
        {
            await Task.WhenAll([.. watching, leading]).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void OnKeyChanged(string key) => Volatile.Read(ref _queue)?.Add(key);

    public void OnNamespaceChanged(string ns)
    {
        if (Volatile.Read(ref _queue) is { } queue)
        {
            foreach (var key in AllKeys().Where(k => k.StartsWith(ns + "/", StringComparison.Ordinal)))
            {
                queue.Add(key);
            }
        }
    }

    public void OnMemberStateChanged(MemberCluster member) => EnqueueAll();

    public void Dispose()
    {
        foreach (var member in _members)
        {
            member.Dispose();
        }
    }

    private HashSet<string> AllKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in _members)
        {
            keys.UnionWith(member.Keys());
        }

        return keys;
    }

    private void EnqueueAll()
    {
        if (Volatile.Read(ref _queue) is { } queue)
        {
            var keys = AllKeys();
            foreach (var key in keys)
            {
                queue.Add(key);
            }

            ControllerLog.Resync(_logger, keys.Count);
        }
    }

    /// <summary>One leadership term: a fresh queue, every key once, then events, resyncs and stale checks until the term ends.</summary>
    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        using var queue = new WorkQueue(_settings.QueueRate, _settings.QueueBurst, _settings.RetryBaseDelay, _settings.RetryMaxDelay, _time);
        Volatile.Write(ref _queue, queue);
        _settings.Observer?.LeadershipChanged(true);
        try
        {
            await WaitForMembersAsync(cancellationToken).ConfigureAwait(false);
            EnqueueAll();
            var tasks = new List<Task>();
            for (var i = 0; i < Math.Max(1, _settings.Workers); i++)
            {
                tasks.Add(WorkAsync(queue, cancellationToken));
            }

            tasks.Add(ResyncAsync(cancellationToken));
            tasks.Add(WatchStaleAsync(cancellationToken));
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.CompareExchange(ref _queue, null, queue);
            _settings.Observer?.LeadershipChanged(false);
        }
    }

    private async Task WaitForMembersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_members.Select(m => m.FirstSynced)).WaitAsync(_settings.InitialSyncTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A member that cannot be reached must not hold the others hostage: go on without it
            // (it counts as unknown, so nothing it may export is withdrawn).
            ControllerLog.StartingWithoutMembers(_logger, string.Join(',', _members.Where(m => !m.IsSynced).Select(m => m.Name)));
        }
    }

    private async Task WorkAsync(WorkQueue queue, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                var writes = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                queue.Forget(key);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                _settings.Observer?.Reconciled(writes > 0);
                if (writes > 0)
                {
                    ControllerLog.Reconciled(_logger, key, "updated", writes, ms);
                }
                else
                {
                    ControllerLog.Unchanged(_logger, key, ms);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Anything else is this key's problem, not the worker's: retry it later with backoff.
                var delay = queue.AddRateLimited(key);
                _settings.Observer?.ReconcileFailed();
                ControllerLog.ReconcileFailed(_logger, e, key, Stopwatch.GetElapsedTime(started).TotalMilliseconds, delay);
            }
            finally
            {
                Interlocked.Increment(ref _reconciles);
                queue.Done(key);
            }
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_settings.ResyncPeriod, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            EnqueueAll();
        }
    }

    /// <summary>A member crossing the stale-cluster timeout changes what every key should look like.</summary>
    private async Task WatchStaleAsync(CancellationToken cancellationToken)
    {
        if (_settings.StaleClusterTimeout is not { } timeout)
        {
            return;
        }

        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(period, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = _time.GetUtcNow();
            var changed = false;
            foreach (var member in _members)
            {
                var stale = member.IsStale(now);
                if (_stale.GetValueOrDefault(member.Name) != stale)
                {
                    _stale[member.Name] = stale;
                    changed = true;
                    if (stale)
                    {
                        ControllerLog.MemberStale(_logger, member.Name);
                    }
                }
            }

            if (changed)
            {
                EnqueueAll();
            }
        }
    }
}
