using System.Text.Json;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>An open watch: read events one by one until the server ends the stream.</summary>
public sealed class WatchStream<T> : IAsyncDisposable, IDisposable
    where T : KubernetesObject
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly WatchLineReader _lines;
    private readonly ResourceType<T> _type;

    internal WatchStream(HttpResponseMessage response, Stream body, ResourceType<T> type)
    {
        _response = response;
        _body = body;
        _type = type;
        _lines = new WatchLineReader(body);
    }

    /// <summary>The next event, or null when the server closed the watch cleanly (timeoutSeconds, shutdown).</summary>
    /// <exception cref="WatchStreamTruncatedException">The stream was cut inside an event or held an unreadable one.</exception>
    public async ValueTask<WatchEvent<T>?> ReadAsync(CancellationToken cancellationToken)
    {
        if (await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not { } next)
        {
            return null;
        }

        try
        {
            return WatchEventParser.Parse(next.Line.Span, _type, next.ArrivedAt);
        }
        catch (JsonException e)
        {
            throw new WatchStreamTruncatedException($"unreadable watch event: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        _lines.Dispose();
        _body.Dispose();
        _response.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
