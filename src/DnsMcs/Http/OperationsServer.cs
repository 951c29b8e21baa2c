using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Explain;
using DnsMcs.Metrics;
using DnsMcs.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Http;

/// <summary>
/// /metrics, /health and /ready on Kestrel, like CoreDNS's prometheus, health and ready plugins. Endpoints
/// configured on the same address share one listener; each listener answers only the paths assigned to it.
/// Shutdown (<see cref="StopAsync"/>): /ready turns 503 at once so the pod leaves its Service, /health keeps
/// answering 200 for the lameduck delay while DNS is still being served, then the listeners close.
/// A hosted service, so every command's host starts and stops it with the services it reports on.
/// </summary>
internal sealed partial class OperationsServer : IHostedService, IAsyncDisposable
{
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/health";
    public const string ReadyPath = "/ready";

    private readonly OperationsOptions _options;
    private readonly MetricsCollector? _collector;
    private readonly IReadinessProvider _readiness;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly List<WebApplication> _hosts = [];
    private readonly Dictionary<string, IPEndPoint> _bound = new(StringComparer.Ordinal);
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

        foreach (var group in paths.GroupBy(p => p.Endpoint))
        {
            var served = group.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
            var host = BuildHost(group.Key, served);
            _hosts.Add(host);
            await StartHostAsync(host, group.Key, served, cancellationToken);

            var bound = BoundAddress(host, group.Key);
            foreach (var path in served)
            {
                _bound[path] = bound;
                LogListening(_logger, path, bound);
            }
        }
    }

    /// <summary>
    /// Starts one listener; a port that cannot be bound becomes a <see cref="ListenerBindException"/> saying which
    /// endpoint and why, logged here in one line, as the DNS listeners do, instead of Kestrel's stack trace.
    /// </summary>
    private async Task StartHostAsync(WebApplication host, IPEndPoint endpoint, HashSet<string> paths, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            var socketError = FindSocketException(e);
            var served = string.Join(", ", paths.Order(StringComparer.Ordinal));
            var bindError = socketError is null
                ? new ListenerBindException($"cannot listen on HTTP {endpoint} ({served}): {e.Message}", e)
                : ListenerBindException.From("HTTP", endpoint, socketError, served);
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

        foreach (var host in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _hosts.Clear();
    }

    private WebApplication BuildHost(IPEndPoint endpoint, HashSet<string> paths)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint);
        });

        var app = builder.Build();
        app.Run(context => HandleAsync(context, paths));
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

    private static IPEndPoint BoundAddress(WebApplication host, IPEndPoint requested)
    {
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault();
        if (first is not null && Uri.TryCreate(first, UriKind.Absolute, out var uri))
        {
            return new IPEndPoint(requested.Address, uri.Port);
        }

        return requested;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Serving {Path} on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string path, IPEndPoint endpoint);

    [LoggerMessage(EventId = 302, Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void LogBindFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Lameduck: /health answers for {Delay} more before the HTTP listeners close")]
    private static partial void LogLameduck(ILogger logger, TimeSpan delay);
}
