namespace DnsMcs.Controller.Queue;

/// <summary>The overall rate limit of the work queue: <c>rate</c> tokens a second, at most <c>burst</c> saved up.</summary>
internal sealed class TokenBucket(double rate, int burst, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    /// <summary>Takes a token, or says how long until one is available.</summary>
    public TimeSpan TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * rate));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens--;
                return TimeSpan.Zero;
            }

            return TimeSpan.FromSeconds((1 - _tokens) / rate);
        }
    }
}
