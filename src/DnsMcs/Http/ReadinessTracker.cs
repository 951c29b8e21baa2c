namespace DnsMcs.Http;

/// <summary>
/// The usual readiness rule, ready only when the DNS listeners are up and every registered source has
/// completed its first full list. Once ready it stays ready while the API server is lost: the last answers
/// keep being served (ARCHITECTURE.md, failure rules), so a source never goes back to unsynced.
/// </summary>
internal sealed class ReadinessTracker : IReadinessProvider
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, bool> _sources = new(StringComparer.Ordinal);
    private bool _listenersUp;

    public void RegisterSource(string source)
    {
        lock (_lock)
        {
            _sources.TryAdd(source, false);
        }
    }

    public void MarkSynced(string source)
    {
        lock (_lock)
        {
            _sources[source] = true;
        }
    }

    public void MarkListenersUp()
    {
        lock (_lock)
        {
            _listenersUp = true;
        }
    }

    public ReadinessReport Check()
    {
        lock (_lock)
        {
            var unsynced = _sources.Where(s => !s.Value).Select(s => s.Key).ToList();
            var reasons = new List<string>(2);
            if (!_listenersUp)
            {
                reasons.Add("listeners not up");
            }

            if (unsynced.Count > 0)
            {
                reasons.Add("sources not synced: " + string.Join(", ", unsynced));
            }

            return reasons.Count == 0 ? ReadinessReport.Ready : ReadinessReport.NotReady(string.Join("; ", reasons));
        }
    }
}
