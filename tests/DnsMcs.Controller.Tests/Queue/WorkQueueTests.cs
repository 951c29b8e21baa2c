using DnsMcs.Controller.Queue;

namespace DnsMcs.Controller.Tests.Queue;

public sealed class WorkQueueTests
{
    private static WorkQueue NewQueue() => new(1000, 1000, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(80));

    [Fact]
    public async Task Add_SameKeyTwice_HandedOutOnce()
    {
        using var queue = NewQueue();
        queue.Add("a/x");
        queue.Add("a/x");
        queue.Add("a/y");

        Assert.Equal("a/x", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("a/y", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_WhileProcessing_ComesBackAfterDoneNotBefore()
    {
        using var queue = NewQueue();
        queue.Add("a/x");
        var key = await queue.TakeAsync(CancellationToken.None);
        queue.Add("a/x");
        Assert.Equal(0, queue.Count);

        queue.Done(key);

        Assert.Equal(1, queue.Count);
        Assert.Equal("a/x", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddRateLimited_RepeatedFailures_DelayDoublesUpToMaxAndForgetResets()
    {
        using var queue = NewQueue();
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            delays.Add(queue.AddRateLimited("a/x"));
        }

        Assert.Equal([10, 20, 40, 80, 80], delays.Select(d => (int)d.TotalMilliseconds));
        Assert.Equal("a/x", await queue.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        queue.Forget("a/x");
        Assert.Equal(10, (int)queue.AddRateLimited("a/x").TotalMilliseconds);
    }

    [Fact]
    public async Task TakeAsync_BurstSpent_WaitsForTheRate()
    {
        // One key a second after a burst of two: the third take cannot complete at once.
        using var queue = new WorkQueue(1, 2, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        queue.Add("a");
        queue.Add("b");
        queue.Add("c");
        await queue.TakeAsync(CancellationToken.None);
        await queue.TakeAsync(CancellationToken.None);

        var third = queue.TakeAsync(CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal("c", await third.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Add_AfterDispose_Ignored()
    {
        var queue = NewQueue();
        queue.Dispose();

        queue.Add("a/x");

        Assert.Equal(0, queue.Count);
    }
}
