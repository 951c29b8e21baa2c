using DnsMcs.Http;
using DnsMcs.Server;
using DnsMcs.Sources.Centralized;
using DnsMcs.Zone;

namespace DnsMcs.Cli;

/// <summary>
/// /ready for <c>dnsmcs serve</c>, as CoreDNS's ready plugin: 200 once the listeners are up and every source
/// registered with the index has finished its first list; 503 with what is missing otherwise. The index is
/// the one record of which sources exist and which have synced. Centralized mode adds each member's
/// connection state to the reason, so an unreachable member is visible without making the server unready.
/// </summary>
internal sealed class ServeReadiness(ClusterSetIndex index, DnsServer server, CentralizedSource? members = null) : IReadinessProvider
{
    public ReadinessReport Check()
    {
        var problems = new List<string>(3);
        if (!server.IsListening)
        {
            problems.Add("listeners not up");
        }

        var pending = index.PendingSources();
        if (pending.Count > 0)
        {
            problems.Add("sources not synced: " + string.Join(", ", pending));
        }

        if (problems.Count == 0)
        {
            var disconnected = members?.Members.Where(m => !m.Connected).Select(m => m.ToString()).ToList();
            return disconnected is { Count: > 0 }
                ? new ReadinessReport(true, "OK; serving last known answers for " + string.Join("; ", disconnected))
                : ReadinessReport.Ready;
        }

        return ReadinessReport.NotReady(string.Join("; ", problems));
    }
}
