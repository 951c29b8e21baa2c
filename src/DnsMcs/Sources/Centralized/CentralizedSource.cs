using DnsMcs.Zone;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources.Centralized;

/// <summary>
/// Centralized mode (Kosmos's --multi-cluster-service=false shape): one DnsMcs reads every member cluster
/// directly and builds the clusterset view itself from ServiceExports, Services and their EndpointSlices,
/// with no ServiceImport objects (see <see cref="ClusterSetView"/> for the rules).
/// Startup and failure rules:
/// - every member registers its four watches with the index, so negative answers are SERVFAIL until each
///   has listed once, or until <see cref="CentralizedSourceOptions.MemberSyncTimeout"/> passes; a member
///   still silent then is logged and counted as synced with what it has, and fills in when it answers;
/// - an unreachable member keeps its last known objects, is logged, and shows in <see cref="Members"/>;
///   the others carry on (each member runs on its own).
/// </summary>
internal sealed class CentralizedSource : IHostedService, IDisposable
{
    private readonly CentralizedSourceOptions _options;
    private readonly IClusterSetWriter _writer;
    private readonly ILoggerFactory _loggers;
    private readonly Action<TimeSpan>? _programmed;
    private readonly string _prefix;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<MemberWatch> _members = [];
    private readonly List<Task> _running = [];

    public CentralizedSource(CentralizedSourceOptions options, IClusterSetWriter writer, ILoggerFactory loggers, Action<TimeSpan>? programmed = null, string sourcePrefix = "kubernetes")
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Members.Count == 0)
        {
            throw new ArgumentException("centralized mode needs at least one member", nameof(options));
        }

        var duplicate = options.Members.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"member {duplicate.Key} is given more than once", nameof(options));
        }

        _options = options;
        _writer = writer;
        _loggers = loggers;
        _programmed = programmed;
        _prefix = sourcePrefix;
        View = new ClusterSetView(writer, loggers.CreateLogger<ClusterSetView>());
    }

    /// <summary>Each member's connection and sync state, for /ready details and logs.</summary>
    public IReadOnlyList<MemberStatus> Members
    {
        get
        {
            lock (_members)
            {
                return [.. _members.Select(m => m.Status)];
            }
        }
    }

    internal ClusterSetView View { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_members)
        {
            foreach (var member in _options.Members)
            {
                var watch = new MemberWatch(member, View, _writer, _options, _loggers, _prefix, _programmed);
                _members.Add(watch);

                // Every kubeconfig is read before anything runs: one that is unreadable fails startup.
                watch.Connect();
            }

            foreach (var watch in _members)
            {
                _running.Add(Task.Run(() => watch.RunAsync(_stopping.Token), CancellationToken.None));
            }

            if (_options.MemberSyncTimeout > TimeSpan.Zero)
            {
                _running.Add(GiveUpOnSilentMembersAsync(_stopping.Token));
            }
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_members)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        lock (_members)
        {
            foreach (var member in _members)
            {
                member.Dispose();
            }
        }
    }

    private async Task GiveUpOnSilentMembersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.MemberSyncTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        MemberWatch[] members;
        lock (_members)
        {
            members = [.. _members];
        }

        foreach (var member in members)
        {
            member.GiveUpWaiting(_options.MemberSyncTimeout);
        }
    }
}
