using System.Diagnostics;
using System.Text.Json.Nodes;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Watching;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Probing;

/// <summary>
/// Kosmos's probing contract, inside one member: every interval,
/// 1. collect the remote endpoints of the member's MCS EndpointSlices (those the controller left out
///    as disconnected included, from the slices' withheld-addresses annotation, so they can recover),
///    each with the slice's first TCP port;
/// 2. TCP-connect to each within the timeout;
/// 3. an address failing <c>FailureThreshold</c> probes in a row is disconnected, one passing
///    <c>SuccessThreshold</c> in a row is connected again;
/// 4. write each ServiceImport's disconnected addresses into its kosmos.io/disconnected-address
///    annotation (merge patch) when they differ; addresses no slice knows any more are dropped.
/// </summary>
internal sealed class EndpointProber
{
    private readonly ProbeSettings _settings;
    private readonly KubernetesClient _client;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Key, string Address), TargetState> _states = [];
    private ResourceType<ServiceImport> _importType = ResourceTypes.ServiceImports;
    private ResourceWatcher<EndpointSlice>? _slices;
    private ResourceWatcher<ServiceImport>? _imports;

    public EndpointProber(ProbeSettings settings, KubernetesClient client, ILogger logger)
    {
        _settings = settings;
        _client = client;
        _logger = logger;
    }

    /// <summary>Completed probe rounds; for tests and diagnostics.</summary>
    public int Rounds { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var options = (_settings.WatcherOptions ?? new ResourceWatcherOptions()) with { Namespace = _settings.Namespace };
        _slices = new ResourceWatcher<EndpointSlice>(_client, ResourceTypes.EndpointSlices, new CacheOnlyHandler<EndpointSlice>(), options with { LabelSelector = McsLabels.ServiceName }, _logger);
        _imports = new ResourceWatcher<ServiceImport>(_client, _importType, new CacheOnlyHandler<ServiceImport>(), options, _logger);
        var watching = Task.WhenAll(_slices.RunAsync(cancellationToken), _imports.RunAsync(cancellationToken));
        try
        {
            await Task.WhenAll(_slices.Synced, _imports.Synced).WaitAsync(cancellationToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_settings.Interval);
            do
            {
                await RoundAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await watching.ConfigureAwait(false);
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var targets = Targets();
        using var gate = new SemaphoreSlim(Math.Max(1, _settings.Concurrency));
        var results = await Task.WhenAll(targets.Select(async t =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (Target: t, Ok: await _settings.Dialer.CanConnectAsync(t.Address, t.Port, _settings.Timeout, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        foreach (var (target, ok) in results)
        {
            var id = (target.Key, target.Address);
            if (!_states.TryGetValue(id, out var state))
            {
                // What the annotation says is where we start: a restarted prober does not forget.
                state = new TargetState { Disconnected = target.ReportedDisconnected };
                _states[id] = state;
            }

            state.Record(ok, _settings, out var flipped);
            if (flipped && state.Disconnected)
            {
                ProbeLog.Disconnected(_logger, target.Key, target.Address, target.Port, state.Failures);
            }
            else if (flipped)
            {
                ProbeLog.Reconnected(_logger, target.Key, target.Address, target.Port);
            }
        }

        var present = targets.Select(t => (t.Key, t.Address)).ToHashSet();
        foreach (var gone in _states.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _states.Remove(gone);
        }

        await AnnotateAsync(cancellationToken).ConfigureAwait(false);
        Rounds++;
        var elapsed = Stopwatch.GetElapsedTime(started);
        ProbeLog.Round(_logger, targets.Count, elapsed.TotalMilliseconds);
    }

    private List<Target> Targets()
    {
        var targets = new Dictionary<(string, string), Target>();
        foreach (var slice in _slices!.Snapshot())
        {
            if (slice.AddressType is "FQDN" || McsLabels.Label(slice.Metadata, McsLabels.ServiceName) is not { Length: > 0 } service)
            {
                continue;
            }

            if (_settings.LocalCluster is { } local && McsLabels.Label(slice.Metadata, McsLabels.SourceCluster) == local)
            {
                continue;
            }

            if (slice.Ports?.FirstOrDefault(p => p.Port is > 0 && (p.Protocol ?? "TCP") == "TCP")?.Port is not { } port)
            {
                continue;
            }

            var key = $"{slice.Metadata.Namespace}/{service}";
            var reported = Reported(key);
            var addresses = (slice.Endpoints ?? []).SelectMany(e => e.Addresses ?? [])
                .Concat((McsLabels.Annotation(slice.Metadata, McsLabels.WithheldAddressesAnnotation) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            foreach (var address in addresses)
            {
                targets.TryAdd((key, address), new Target(key, address, port, reported.Contains(address)));
            }
        }

        return [.. targets.Values];
    }

    private HashSet<string> Reported(string key) =>
        _imports!.TryGet(key, out var import) ? Sync.DesiredObjects.Disconnected(import) : [];

    private async Task AnnotateAsync(CancellationToken cancellationToken)
    {
        var byKey = _states.GroupBy(s => s.Key.Key).ToDictionary(g => g.Key, g => g.Where(s => s.Value.Disconnected).Select(s => s.Key.Address).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var import in _imports!.Snapshot())
        {
            var key = import.Key;
            var want = byKey.TryGetValue(key, out var list) ? list : [];
            var have = Sync.DesiredObjects.Disconnected(import).Order(StringComparer.Ordinal).ToList();
            if (want.SequenceEqual(have, StringComparer.Ordinal))
            {
                continue;
            }

            var value = want.Count == 0 ? null : JsonValue.Create(string.Join(',', want));
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [McsLabels.DisconnectedAddressAnnotation] = value } } };
            try
            {
                var text = string.Join(',', want);
                await _client.PatchAsync(_importType, import.Metadata.Namespace, import.Metadata.Name!, patch.ToJsonString(), cancellationToken).ConfigureAwait(false);
                ProbeLog.Annotated(_logger, key, text);
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                ProbeLog.AnnotateFailed(_logger, e, key);
            }
        }
    }

    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                _importType = await _client.DiscoverAsync(ResourceTypes.ServiceImports, ResourceTypes.MulticlusterVersions, cancellationToken).ConfigureAwait(false) ?? ResourceTypes.ServiceImports;
                return;
            }
            catch (Exception e) when (e is HttpRequestException or KubernetesApiException or IOException or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var delay = backoff.Next();
                ProbeLog.DiscoveryFailed(_logger, e, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed record Target(string Key, string Address, int Port, bool ReportedDisconnected);
}
