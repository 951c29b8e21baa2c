using DnsMcs.Http;
using Microsoft.Extensions.Hosting;

namespace DnsMcs.Cli;

/// <summary>Runs /metrics, /health and /ready with the host: up after the listeners, lameduck on the way down.</summary>
internal sealed class OperationsHostedService(OperationsServer server) : IHostedService, IAsyncDisposable
{
    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
