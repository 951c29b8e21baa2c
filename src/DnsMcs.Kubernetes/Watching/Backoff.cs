namespace DnsMcs.Kubernetes.Watching;

/// <summary>
/// Exponential backoff with "equal jitter": half the delay is fixed, half random, so reconnecting clients spread out.
/// Every retry loop against an API server uses it (watches, and discovery in serve, controller and probe).
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private int _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures++, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    public void Reset() => _failures = 0;
}
