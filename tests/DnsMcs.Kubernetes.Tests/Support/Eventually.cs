namespace DnsMcs.Kubernetes.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls a condition that no callback announces (e.g. a bookmark's resourceVersion); the timeout is a safety net.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            try
            {
                await Task.Delay(10, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for: {what}");
            }
        }
    }
}
