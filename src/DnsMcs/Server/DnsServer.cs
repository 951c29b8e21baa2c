using System.Net;
using DnsMcs.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>
/// The listeners as one hosted service: UDP and TCP on every <see cref="ServerOptions.Listen"/> endpoint.
/// One service rather than two so port 0 resolves once and TCP lands on the port UDP got.
/// </summary>
internal sealed class DnsServer : IHostedService, IDisposable
{
    private const int AnyPortAttempts = 10;

    private static readonly TimeSpan UdpStopWait = TimeSpan.FromSeconds(2);

    private readonly ServerOptions _options;
    private readonly IPacketResponder _responder;
    private readonly DnsMetrics? _metrics;
    private readonly ILogger? _queryLog;
    private readonly ILogger<DnsServer> _logger;
    private readonly TcpConnectionTracker _connections;
    private readonly List<UdpDnsListener> _udp = [];
    private readonly List<TcpDnsListener> _tcp = [];
    private volatile bool _listening;

    public DnsServer(ServerOptions options, IPacketResponder responder, ILogger<DnsServer> logger, DnsMetrics? metrics = null, ILogger? queryLog = null)
    {
        _queryLog = queryLog;
        _options = options;
        _responder = responder;
        _metrics = metrics;
        _logger = logger;
        _connections = new TcpConnectionTracker(options.MaxTcpConnections);
    }

    /// <summary>The endpoints really bound (port 0 replaced by the port chosen), in <see cref="ServerOptions.Listen"/> order.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints => [.. _udp.Select(listener => listener.Endpoint)];

    public int OpenTcpConnections => _connections.Open;

    /// <summary>True once every listener is bound and serving, until shutdown starts (for /ready).</summary>
    public bool IsListening => _listening;

    /// <summary>
    /// Binds everything before serving anything, so a bind failure leaves no half-started server behind.
    /// TCP binds first and without SO_REUSEPORT, so a second server on the same port fails here instead of
    /// silently sharing the UDP traffic, and UDP binds only where no UDP socket is (<see cref="UdpDnsListener.Bind"/>);
    /// with port 0, UDP goes first to pick the port and TCP follows it.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var endpoint in _options.Listen)
            {
                if (endpoint.Port == 0)
                {
                    BindAnyPort(endpoint);
                }
                else
                {
                    _tcp.Add(TcpDnsListener.Bind(endpoint, ResponderFor(endpoint), _connections, _options.TcpIdleTimeout, _options.TcpEventLoop, _logger));
                    _udp.Add(UdpDnsListener.Bind(endpoint, _options.UdpSocketsPerEndpoint, ResponderFor(endpoint), _logger));
                }
            }
        }
        catch (ListenerBindException e)
        {
            ServerLog.BindFailed(_logger, e.Message);
            Dispose();
            throw;
        }

        for (var i = 0; i < _udp.Count; i++)
        {
            _udp[i].Start();
            _tcp[i].Start();
            ServerLog.Listening(_logger, _udp[i].Endpoint, _udp[i].SocketCount);
        }

        _listening = true;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The port UDP got may already be someone's TCP port (ephemeral ports are shared by both protocols);
    /// then let UDP pick again.
    /// </summary>
    private void BindAnyPort(IPEndPoint endpoint)
    {
        for (var attempt = 1; ; attempt++)
        {
            var udp = UdpDnsListener.Bind(endpoint, _options.UdpSocketsPerEndpoint, ResponderFor(endpoint), _logger);
            try
            {
                _tcp.Add(TcpDnsListener.Bind(udp.Endpoint, ResponderFor(endpoint), _connections, _options.TcpIdleTimeout, _options.TcpEventLoop, _logger));
                _udp.Add(udp);
                return;
            }
            catch (ListenerBindException) when (attempt < AnyPortAttempts)
            {
                udp.Dispose();
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// 1. stop accepting TCP and tell connections to finish what they have read; 2. keep answering UDP through the
    /// lameduck period, while Kubernetes takes the pod out of its Service; 3. stop UDP; 4. wait for the TCP
    /// connections to drain, for as long as the host allows.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _listening = false;
        ServerLog.Stopping(_logger, _connections.Open);
        var drained = _connections.CloseAsync();
        await Task.WhenAll(_tcp.Select(listener => listener.StopAcceptingAsync())).ConfigureAwait(false);
        if (_options.Lameduck > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(_options.Lameduck, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out first: stop now.
            }
        }

        foreach (var listener in _udp)
        {
            listener.Stop(UdpStopWait);
        }

        await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The responder for one endpoint's listeners: counted per address family when metrics are on, logged per query when asked.</summary>
    private IPacketResponder ResponderFor(IPEndPoint endpoint)
    {
        var responder = _metrics is null ? _responder : new MeteredPacketResponder(_responder, _metrics, endpoint.AddressFamily);
        return _queryLog is null ? responder : new QueryLoggingResponder(responder, _queryLog);
    }

    public void Dispose()
    {
        foreach (var listener in _udp)
        {
            listener.Dispose();
        }

        foreach (var listener in _tcp)
        {
            listener.Dispose();
        }

        _udp.Clear();
        _tcp.Clear();
    }
}
