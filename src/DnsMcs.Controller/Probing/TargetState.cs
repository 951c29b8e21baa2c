namespace DnsMcs.Controller.Probing;

/// <summary>One endpoint's probe history: consecutive failures and successes, and the verdict they led to.</summary>
internal sealed class TargetState
{
    public bool Disconnected { get; set; }

    public int Failures { get; private set; }

    public int Successes { get; private set; }

    /// <summary>Counts one probe; <paramref name="flipped"/> tells whether the verdict changed.</summary>
    public void Record(bool ok, ProbeSettings settings, out bool flipped)
    {
        var before = Disconnected;
        if (ok)
        {
            Successes++;
            Failures = 0;
            if (Disconnected && Successes >= Math.Max(1, settings.SuccessThreshold))
            {
                Disconnected = false;
            }
        }
        else
        {
            Failures++;
            Successes = 0;
            if (!Disconnected && Failures >= Math.Max(1, settings.FailureThreshold))
            {
                Disconnected = true;
            }
        }

        flipped = before != Disconnected;
    }
}
