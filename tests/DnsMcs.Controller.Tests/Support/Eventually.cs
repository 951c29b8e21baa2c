namespace DnsMcs.Controller.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls for convergence; the timeout is only a safety net, never what a test measures.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for: {what}");
            }
        }
    }
}
