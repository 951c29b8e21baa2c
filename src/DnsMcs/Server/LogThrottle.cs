namespace DnsMcs.Server;

/// <summary>
/// Lets one report through per interval and counts the rest, so an error a client can trigger per packet
/// never becomes a log line per packet. Owned by one thread (each UDP loop has its own).
/// </summary>
internal struct LogThrottle(TimeSpan interval)
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private long _nextReportAt;
    private long _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were not since the last.</summary>
    public bool ShouldReport(out long suppressed)
    {
        var now = Environment.TickCount64;
        if (now >= _nextReportAt)
        {
            _nextReportAt = now + _intervalMs;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }

        _suppressed++;
        suppressed = 0;
        return false;
    }
}
