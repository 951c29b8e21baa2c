using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Server;

/// <summary>
/// TCP on one endpoint: an accept loop that hands each connection to a <see cref="TcpDnsConnection"/>, run on a
/// thread of its own while fewer than <see cref="ServerOptions.DedicatedTcpThreads"/> are, else on the thread pool.
/// </summary>
internal sealed class TcpDnsListener : IDisposable
{
    private const int Backlog = 512;

    // The loop is shallow (no recursion, spans on the stack are small), so a fraction of the default 8 MB is plenty.
    private const int ConnectionThreadStackBytes = 256 * 1024;

    private static readonly TimeSpan CapReportInterval = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly IPacketResponder _responder;
    private readonly TcpConnectionTracker _connections;
    private readonly TimeSpan _idleTimeout;
    private readonly int _dedicatedThreads;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _capReportLock = new();
    private LogThrottle _capReports = new(CapReportInterval);
    private Task _acceptLoop = Task.CompletedTask;
    private int _dedicatedRunning;

    private TcpDnsListener(Socket socket, IPacketResponder responder, TcpConnectionTracker connections, TimeSpan idleTimeout, int dedicatedThreads, ILogger logger)
    {
        _socket = socket;
        _responder = responder;
        _connections = connections;
        _idleTimeout = idleTimeout;
        _dedicatedThreads = dedicatedThreads;
        _logger = logger;
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint Endpoint { get; }

    public static TcpDnsListener Bind(IPEndPoint endpoint, IPacketResponder responder, TcpConnectionTracker connections, TimeSpan idleTimeout, int dedicatedThreads, ILogger logger) =>
        new(ListenSocketFactory.BindTcp(endpoint, Backlog), responder, connections, idleTimeout, dedicatedThreads, logger);

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    /// <summary>Stops accepting and tells open connections to finish the queries they have read, then close.</summary>
    public Task StopAcceptingAsync()
    {
        _shutdown.Cancel();
        _socket.Dispose();
        return _acceptLoop;
    }

    public void Dispose()
    {
        _socket.Dispose();
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

            if (Interlocked.Increment(ref _dedicatedRunning) <= _dedicatedThreads)
            {
                StartDedicated(client, token);
            }
            else
            {
                Interlocked.Decrement(ref _dedicatedRunning);
                _ = ServeAsync(client, token);
            }
        }
    }

    private void StartDedicated(Socket client, CancellationToken shutdown)
    {
        try
        {
            var thread = new Thread(() => Serve(client, shutdown), ConnectionThreadStackBytes)
            {
                IsBackground = true,
                Name = "dns-tcp",
            };
            thread.Start();
        }
        catch (OutOfMemoryException)
        {
            // No thread to be had (a ulimit, a small container): the pool still serves the connection.
            Interlocked.Decrement(ref _dedicatedRunning);
            _ = ServeAsync(client, shutdown);
        }
    }

    private void Serve(Socket client, CancellationToken shutdown)
    {
        EndPoint? remote = null;
        try
        {
            client.NoDelay = true;
            remote = client.RemoteEndPoint;
            using var connection = new TcpDnsConnection(client, ResponderFor(remote), _idleTimeout, shutdown);

            // Shutdown wakes the blocked read; the registration is per connection, not per query.
            using var stop = shutdown.UnsafeRegister(static state => ((TcpDnsConnection)state!).StopReading(), connection);
            connection.Run();
        }
        catch (Exception e)
        {
            ServerLog.ConnectionFailed(_logger, e, remote);
            client.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _dedicatedRunning);
            _connections.Exit();
        }
    }

    private IPacketResponder ResponderFor(EndPoint? remote)
    {
        if (_responder is not QueryLoggingResponder logging)
        {
            return _responder;
        }

        var copy = logging.Copy();
        copy.Peer = remote;
        return copy;
    }

    private async Task ServeAsync(Socket client, CancellationToken shutdown)
    {
        EndPoint? remote = null;
        try
        {
            // Answers are written whole and flushed once per batch; Nagle would only delay them.
            client.NoDelay = true;
            remote = client.RemoteEndPoint;
            using var connection = new TcpDnsConnection(client, ResponderFor(remote), _idleTimeout, shutdown);
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

        ServerLog.ConnectionCapReached(_logger, _connections.Cap, rejected);
    }
}
