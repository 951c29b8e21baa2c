using DnsMcs.Configuration;
using DnsMcs.Zone;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Cli;

/// <summary>
/// CoreDNS's <c>reload</c>: re-reads the Corefile on change. The zone, TTL and ns_address apply at once, without
/// dropping a query (the index rebuilds its answers beside the old ones and swaps them in); a change to listeners,
/// sources, HTTP endpoints or logging is reported and waits for a restart. A file that no longer parses is logged
/// by the reloader and the running configuration is kept.
/// </summary>
internal sealed class ConfigReloadService(
    string file,
    TimeSpan interval,
    TimeSpan jitter,
    ServeConfiguration initial,
    ClusterSetIndex index,
    ILogger<ConfigReloadService> logger) : BackgroundService
{
    private ServeConfiguration _running = initial;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new CorefileReloader(file, ApplyAsync, logger).RunAsync(interval, jitter, stoppingToken);

    internal Task ApplyAsync(ServeConfiguration next, CancellationToken cancellationToken)
    {
        var live = new List<string>();
        if (!string.Equals(next.Zone, _running.Zone, StringComparison.Ordinal))
        {
            live.Add($"zone {next.Zone}");
        }

        if (next.Ttl != _running.Ttl)
        {
            live.Add($"ttl {next.Ttl}");
        }

        // A file without ns_address gets the defaults the command line chose at start.
        var nameServers = next.NameServerAddresses.Count > 0 ? next.NameServerAddresses : index.Options.NameServerAddresses;
        if (!nameServers.SequenceEqual(index.Options.NameServerAddresses))
        {
            live.Add("ns_address " + string.Join(' ', nameServers));
        }

        var later = new List<string>();
        AddIfChanged(later, "bind", !next.Listen.SequenceEqual(_running.Listen));
        AddIfChanged(later, "sources", !next.Sources.SequenceEqual(_running.Sources));
        AddIfChanged(later, "prometheus", !Equals(next.Metrics, _running.Metrics));
        AddIfChanged(later, "health", !Equals(next.Health, _running.Health) || next.Lameduck != _running.Lameduck);
        AddIfChanged(later, "ready", !Equals(next.Ready, _running.Ready));
        AddIfChanged(later, "log/errors", next.LogQueries != _running.LogQueries || next.LogErrors != _running.LogErrors);
        AddIfChanged(later, "debug", next.Debug != _running.Debug);
        AddIfChanged(later, "timeouts/tcp_max_connections", next.TcpIdleTimeout != _running.TcpIdleTimeout || next.MaxTcpConnections != _running.MaxTcpConnections);

        if (live.Count > 0)
        {
            index.Reconfigure(index.Options with { Zone = next.Zone, Ttl = next.Ttl, NameServerAddresses = nameServers });
            CliLog.Reloaded(logger, file, live);
        }

        if (later.Count > 0)
        {
            CliLog.ReloadNeedsRestart(logger, file, later);
        }

        _running = next with { Listen = _running.Listen, Sources = _running.Sources, Metrics = _running.Metrics, Health = _running.Health, Ready = _running.Ready, Debug = _running.Debug, TcpIdleTimeout = _running.TcpIdleTimeout, MaxTcpConnections = _running.MaxTcpConnections };
        return Task.CompletedTask;
    }

    private static void AddIfChanged(List<string> changes, string what, bool changed)
    {
        if (changed)
        {
            changes.Add(what);
        }
    }
}
