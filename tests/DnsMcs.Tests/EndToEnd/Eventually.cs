namespace DnsMcs.Tests.EndToEnd;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; the timeout is a safety net, never what a test measures.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for: {what()}");
            }

            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, Func<string> what, int timeoutSeconds = 30) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeoutSeconds);
}
