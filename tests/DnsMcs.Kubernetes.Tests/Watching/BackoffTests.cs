using DnsMcs.Kubernetes.Watching;

namespace DnsMcs.Kubernetes.Tests.Watching;

public sealed class BackoffTests
{
    [Fact]
    public void Next_RepeatedFailures_DoublesWithJitterUpToCapThenResets()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        double[] ceilings = [100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000];

        foreach (var ceiling in ceilings)
        {
            var delay = backoff.Next().TotalMilliseconds;
            Assert.InRange(delay, ceiling / 2, ceiling);
        }

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }
}
