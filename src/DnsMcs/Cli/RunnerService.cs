using Microsoft.Extensions.Hosting;

namespace DnsMcs.Cli;

/// <summary>
/// The controller's or the prober's runner as the host's hosted service. Its end, whatever it is, stops the host; a failure
/// is rethrown from <see cref="StopAsync"/>, which the host rethrows from its run, so <see cref="CommandHost"/> turns it
/// into the exit code. A stop (SIGTERM, Ctrl-C) cancels the runner and waits for it, at most the host's shutdown timeout.
/// </summary>
internal sealed class RunnerService(Func<CancellationToken, Task> run, RunnerReadiness readiness, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = RunAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The shutdown timeout: the process exits without the runner's last steps rather than hang.
        }
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync()
    {
        try
        {
            var running = run(_stop.Token);
            readiness.Running = !running.IsCompleted;
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped as asked.
        }
        finally
        {
            readiness.Running = false;
            lifetime.StopApplication();
        }
    }
}
