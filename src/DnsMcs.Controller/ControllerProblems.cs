using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller;

/// <summary>
/// What keeps the controller from doing its work now, one line each naming the member, the object and
/// the fix (a missing Lease namespace, a CRD not served, a verb RBAC forbids). Each problem is logged
/// once when it appears and once when it clears, never on every retry; the host shows the current ones
/// in /ready. A controller with a problem keeps retrying: the fix takes effect without a restart.
/// </summary>
public sealed class ControllerProblems
{
    private readonly ConcurrentDictionary<string, string> _problems = new(StringComparer.Ordinal);

    /// <summary>The current problems, in a stable order.</summary>
    public IReadOnlyList<string> Current => [.. _problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)];

    /// <summary>Records the problem under <paramref name="key"/>; logs it only when it is new or its text changed.</summary>
    internal void Report(string key, string message, ILogger logger)
    {
        var changed = false;
        _problems.AddOrUpdate(key, _ => { changed = true; return message; }, (_, old) => { changed = !string.Equals(old, message, StringComparison.Ordinal); return message; });
        if (changed)
        {
            ControllerLog.Problem(logger, message);
        }
    }

    /// <summary>The problem under <paramref name="key"/> is gone (logged once, if there was one).</summary>
    internal void Clear(string key, ILogger logger)
    {
        if (_problems.TryRemove(key, out var message))
        {
            ControllerLog.ProblemResolved(logger, message);
        }
    }

    /// <summary>Clears every problem whose key starts with <paramref name="prefix"/>.</summary>
    internal void ClearAll(string prefix, ILogger logger)
    {
        foreach (var key in _problems.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            Clear(key, logger);
        }
    }
}
