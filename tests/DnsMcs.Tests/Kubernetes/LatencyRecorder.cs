namespace DnsMcs.Tests.Kubernetes;

/// <summary>Records the programming-latency callback (API server event -> servable answer) a source reports.</summary>
internal sealed class LatencyRecorder
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _samples = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _samples.Count;
            }
        }
    }

    public void Record(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _samples.Add(elapsed);
        }
    }

    public IReadOnlyList<TimeSpan> Samples()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _samples.Clear();
        }
    }
}
