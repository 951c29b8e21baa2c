using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>
/// TCP on one endpoint: an accept loop that hands each connection to the endpoint's <see cref="TcpEventLoop"/> (Linux)
/// or to a <see cref="TcpDnsConnection"/> on the thread pool.
/// </summary>
internal sealed class TcpDnsListener : IDisposable
{
    private const int Backlog = 512;

    private static readonly TimeSpan CapReportInterval = TimeSpan.FromSeconds(10);

    // The loop answers what it has read and closes; only a stuck send to a client that does not read takes longer.
    private static readonly TimeSpan LoopStopWait = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly IPacketResponder _responder;
    private readonly TcpConnectionTracker _connections;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly TcpEventLoop? _loop;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _capReportLock = new();
    private LogThrottle _capReports = new(CapReportInterval);
    private Task _acceptLoop = Task.CompletedTask;

    private TcpDnsListener(Socket socket, IPacketResponder responder, TcpConnectionTracker connections, TimeSpan idleTimeout, bool eventLoop, ILogger logger)
    {
        _socket = socket;
        _responder = responder;
        _connections = connections;
        _idleTimeout = idleTimeout;
        _logger = logger;
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
        if (eventLoop && OperatingSystem.IsLinux())
        {
            _loop = new TcpEventLoop(Endpoint, responder, connections, idleTimeout, logger);
        }
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>The epoll loop serving this endpoint's connections; null on the thread-pool path (for tests).</summary>
    internal TcpEventLoop? EventLoop => _loop;

    public static TcpDnsListener Bind(IPEndPoint endpoint, IPacketResponder responder, TcpConnectionTracker connections, TimeSpan idleTimeout, bool eventLoop, ILogger logger)
    {
        var socket = ListenSocketFactory.BindTcp(endpoint, Backlog);
        try
        {
            return new(socket, responder, connections, idleTimeout, eventLoop, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Start()
    {
        _loop?.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Stops accepting and tells open connections to finish the queries they have read, then close.</summary>
    public async Task StopAcceptingAsync()
    {
        _shutdown.Cancel();
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _loop?.Stop(LoopStopWait);
    }

    public void Dispose()
    {
        // Cancel first: the accept loop then reads the closed socket as a stop, not as an accept failure to retry.
        _shutdown.Cancel();
        _socket.Dispose();
        _loop?.Dispose();
        _shutdown.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE and friends: back off a little rather than spin, and keep accepting.
                ServerLog.AcceptFailed(_logger, e, Endpoint);
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!_connections.TryEnter())
            {
                ReportCapReached();
                client.Dispose();
                continue;
            }

            if (_loop is not null)
            {
                _loop.Add(client);
            }
            else
            {
                _ = ServeAsync(client, token);
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken shutdown)
    {
        EndPoint? remote = null;
        try
        {
            // Answers are written whole and flushed once per batch; Nagle would only delay them.
            client.NoDelay = true;
            remote = client.RemoteEndPoint;
            using var connection = new TcpDnsConnection(client, _responder, _idleTimeout, shutdown);
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ServerLog.ConnectionFailed(_logger, e, remote);
            client.Dispose();
        }
        finally
        {
            _connections.Exit();
        }
    }

    private void ReportCapReached()
    {
        long rejected;
        lock (_capReportLock)
        {
            if (!_capReports.ShouldReport(out rejected))
            {
                return;
            }
        }

        ServerLog.ConnectionCapReached(_logger, _connections.Cap, rejected + 1);
    }
}
