using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Explain;
using DnsMcs.Metrics;
using DnsMcs.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Http;

/// <summary>
/// /metrics, /health and /ready on Kestrel, like CoreDNS's prometheus, health and ready plugins. Endpoints
/// configured on the same address share one listener; each listener answers only the paths assigned to it. All
/// listeners belong to one Kestrel server: each server runs its own once-a-second heartbeat thread, so three (CoreDNS's
/// ports 9153, 8080 and 8181) cost an idle process three times the CPU of one.
/// Shutdown (<see cref="StopAsync"/>): /ready turns 503 at once so the pod leaves its Service, /health keeps
/// answering 200 for the lameduck delay while DNS is still being served, then the listeners close.
/// A hosted service, so every command's host starts and stops it with the services it reports on.
/// </summary>
internal sealed partial class OperationsServer : IHostedService, IAsyncDisposable
{
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/health";
    public const string ReadyPath = "/ready";

    private const string PathsItem = "dnsmcs.paths";

    private readonly OperationsOptions _options;
    private readonly MetricsCollector? _collector;
    private readonly IReadinessProvider _readiness;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IPEndPoint> _bound = new(StringComparer.Ordinal);
    private WebApplication? _host;
    private volatile bool _stopping;

    public OperationsServer(OperationsOptions options, MetricsCollector? collector, IReadinessProvider readiness, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _collector = collector;
        _readiness = readiness;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<OperationsServer>();
    }

    /// <summary>The address an endpoint really listens on (port 0 resolved), or null when it is off.</summary>
    public IPEndPoint? BoundEndpoint(string path) => _bound.GetValueOrDefault(path);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var paths = new List<(string Path, IPEndPoint Endpoint)>();
        if (_options.Metrics is { } metrics && _collector is not null)
        {
            paths.Add((MetricsPath, metrics));
        }

        if (_options.Metrics is { } debug && _options.Explain is not null)
        {
            paths.Add((ExplainEndpoint.Path, debug));
        }

        if (_options.Health is { } health)
        {
            paths.Add((HealthPath, health));
        }

        if (_options.Ready is { } ready)
        {
            paths.Add((ReadyPath, ready));
        }

        if (paths.Count == 0)
        {
            return;
        }

        var listeners = paths.GroupBy(p => p.Endpoint)
            .Select(group => new Listener(group.Key, group.Select(p => p.Path).ToHashSet(StringComparer.Ordinal)))
            .ToList();
        _host = BuildHost(listeners);
        await StartHostAsync(_host, listeners, cancellationToken);

        foreach (var listener in listeners)
        {
            // Kestrel writes the port it bound back into the listen options: port 0 becomes the real one.
            var bound = listener.Options?.IPEndPoint ?? listener.Endpoint;
            foreach (var path in listener.Paths)
            {
                _bound[path] = bound;
                LogListening(_logger, path, bound);
            }
        }
    }

    /// <summary>
    /// Starts the listeners; a port that cannot be bound becomes a <see cref="ListenerBindException"/> saying which
    /// endpoint and why, logged here in one line, as the DNS listeners do, instead of Kestrel's stack trace.
    /// </summary>
    private async Task StartHostAsync(WebApplication host, List<Listener> listeners, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            // Kestrel names the address it failed on ("Failed to bind to address http://127.0.0.1:8080: …").
            var failed = listeners.FirstOrDefault(l => e.Message.Contains($"//{l.Endpoint}", StringComparison.Ordinal)) ?? listeners[0];
            var socketError = FindSocketException(e);
            var served = string.Join(", ", failed.Paths.Order(StringComparer.Ordinal));
            var bindError = socketError is null
                ? new ListenerBindException($"cannot listen on HTTP {failed.Endpoint} ({served}): {e.Message}", e)
                : ListenerBindException.From("HTTP", failed.Endpoint, socketError, served);
            LogBindFailed(_logger, bindError.Message);
            throw bindError;
        }
    }

    private static SocketException? FindSocketException(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is SocketException socketError)
            {
                return socketError;
            }
        }

        return null;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_options.Lameduck > TimeSpan.Zero && _options.Health is not null)
        {
            LogLameduck(_logger, _options.Lameduck);
            try
            {
                await Task.Delay(_options.Lameduck, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // A second signal or the host's shutdown timeout cuts lameduck short; closing is still right.
            }
        }

        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }

    private WebApplication BuildHost(List<Listener> listeners)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var listener in listeners)
            {
                kestrel.Listen(listener.Endpoint, options =>
                {
                    listener.Options = options;

                    // Which paths a request may ask for is the listener's: it travels with the connection.
                    options.Use(next => connection =>
                    {
                        connection.Items[PathsItem] = listener.Paths;
                        return next(connection);
                    });
                });
            }
        });

        var app = builder.Build();
        app.Run(context => HandleAsync(context, (HashSet<string>)context.Features.Get<IConnectionItemsFeature>()!.Items[PathsItem]!));
        return app;
    }

    private async Task HandleAsync(HttpContext context, HashSet<string> paths)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!paths.Contains(path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        switch (path)
        {
            case MetricsPath:
                context.Response.ContentType = PrometheusText.ContentType;
                using (var writer = new StringWriter(CultureInfo.InvariantCulture))
                {
                    _collector!.WriteTo(writer);
                    await context.Response.WriteAsync(writer.ToString(), context.RequestAborted);
                }

                break;
            case ExplainEndpoint.Path:
                var (status, json) = _options.Explain!.Handle(context.Request.Query["name"], context.Request.Query["type"]);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(json, context.RequestAborted);
                break;
            case HealthPath:
                // Alive means the process answers; lameduck keeps this 200 on purpose (CoreDNS health plugin).
                await WritePlainAsync(context, StatusCodes.Status200OK, "OK");
                break;
            default:
                var report = _stopping ? ReadinessReport.NotReady("shutting down") : _readiness.Check();
                await WritePlainAsync(context, report.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, report.Reason);
                break;
        }
    }

    private static Task WritePlainAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Serving {Path} on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string path, IPEndPoint endpoint);

    [LoggerMessage(EventId = 302, Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void LogBindFailed(ILogger logger, string reason);

    /// <summary>One address and the paths it serves; <see cref="Options"/> once Kestrel has been configured.</summary>
    private sealed class Listener(IPEndPoint endpoint, HashSet<string> paths)
    {
        public IPEndPoint Endpoint { get; } = endpoint;

        public HashSet<string> Paths { get; } = paths;

        public Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? Options { get; set; }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Lameduck: /health answers for {Delay} more before the HTTP listeners close")]
    private static partial void LogLameduck(ILogger logger, TimeSpan delay);
}
