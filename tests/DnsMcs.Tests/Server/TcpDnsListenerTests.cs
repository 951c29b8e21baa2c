using System.Net.Sockets;
using DnsMcs.Server;

namespace DnsMcs.Tests.Server;

/// <summary>Every connection behaviour, run once per way of serving a connection (see the subclasses).</summary>
public abstract class TcpDnsListenerTests
{
    private static readonly byte[] Query1 = [0x00, 0x01, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] Query2 = [0x00, 0x02, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7];
    private static readonly byte[] Query3 = [0x00, 0x03, 0x01, 0x00];

    /// <summary>Whether connections are served by the epoll loop or by the thread pool.</summary>
    protected abstract bool TcpEventLoop { get; }

    private static byte[] QueryWithId(int client, int round) => [(byte)client, (byte)round, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];

    private Task<RunningServer> StartAsync(TimeSpan? idleTimeout = null, int maxConnections = 100) =>
        RunningServer.StartAsync(idleTimeout, maxConnections, TcpEventLoop);

    [Fact]
    public async Task Connection_PipelinedQueriesInOneWrite_AnswersEachInOrder()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectTcpAsync();

        await socket.SendAsync(RunningServer.Frame(Query1, Query2, Query3));

        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(socket));
        Assert.Equal(EchoResponder.Expected(Query2), await RunningServer.ReadFrameAsync(socket));
        Assert.Equal(EchoResponder.Expected(Query3), await RunningServer.ReadFrameAsync(socket));
    }

    [Fact]
    public async Task Connection_FrameSentByteByByte_IsAnswered()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectTcpAsync();
        socket.NoDelay = true;

        foreach (var b in RunningServer.Frame(Query1, Query2))
        {
            await socket.SendAsync(new[] { b });
        }

        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(socket));
        Assert.Equal(EchoResponder.Expected(Query2), await RunningServer.ReadFrameAsync(socket));
    }

    public static TheoryData<int> LargeQuerySizes => new() { 4095, 4096, 20000, TcpFrames.MaxMessage };

    [Theory]
    [MemberData(nameof(LargeQuerySizes))]
    public async Task Connection_QueryLargerThanInitialBuffer_IsAnswered(int size)
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectTcpAsync();
        var large = new byte[size];
        large[0] = 0x01;

        await socket.SendAsync(RunningServer.Frame(Query1, large, Query2));

        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(socket));
        Assert.Equal(EchoResponder.Expected(large), await RunningServer.ReadFrameAsync(socket));
        Assert.Equal(EchoResponder.Expected(Query2), await RunningServer.ReadFrameAsync(socket));
    }

    [Fact]
    public async Task Connection_ManyLargestAnswersPipelined_AllArriveWhole()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectTcpAsync();
        byte[] huge = [EchoResponder.Huge, 0, 0, 0];

        await socket.SendAsync(RunningServer.Frame(huge, Query1, huge, huge, Query2));

        foreach (var expected in new[] { huge, Query1, huge, huge, Query2 })
        {
            var answer = await RunningServer.ReadFrameAsync(socket);
            Assert.NotNull(answer);
            Assert.Equal(expected == huge ? TcpFrames.MaxMessage : expected.Length, answer.Length);
            Assert.Equal(expected[0], answer[0]);
        }
    }

    [Fact]
    public async Task Connection_ResponderDrops_EarlierAnswersSentThenClosed()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectTcpAsync();

        await socket.SendAsync(RunningServer.Frame(Query1, [EchoResponder.Drop, 0, 0, 0], Query2));

        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(socket));
        Assert.True(await RunningServer.IsClosedByServerAsync(socket));
    }

    [Fact]
    public async Task Connection_ResponderThrows_ConnectionClosedAndServerKeepsAnswering()
    {
        await using var server = await StartAsync();
        using (var bad = await server.ConnectTcpAsync())
        {
            await bad.SendAsync(RunningServer.Frame([EchoResponder.Throw, 0, 0, 0]));
            Assert.True(await RunningServer.IsClosedByServerAsync(bad));
        }

        using var good = await server.ConnectTcpAsync();
        await good.SendAsync(RunningServer.Frame(Query1));
        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(good));
    }

    [Fact]
    public async Task Connection_Idle_ClosedAfterTimeout()
    {
        await using var server = await StartAsync(idleTimeout: TimeSpan.FromMilliseconds(300));
        using var socket = await server.ConnectTcpAsync();
        await socket.SendAsync(RunningServer.Frame(Query1));
        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(socket));

        Assert.True(await RunningServer.IsClosedByServerAsync(socket));
    }

    [Fact]
    public async Task Connection_QueriesMoreOftenThanTheIdleTimeout_StaysOpenPastIt()
    {
        var idle = TimeSpan.FromMilliseconds(1500);
        await using var server = await StartAsync(idleTimeout: idle);
        using var socket = await server.ConnectTcpAsync();

        // Twice the timeout in all, a query every 50 ms or so: each one must find the connection still open. The pauses
        // stretch to hundreds of milliseconds on a loaded machine, still well inside the timeout.
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var round = 0; System.Diagnostics.Stopwatch.GetElapsedTime(start) < idle * 2; round++)
        {
            var query = QueryWithId(0, round % 256);
            await socket.SendAsync(RunningServer.Frame(query));
            Assert.Equal(EchoResponder.Expected(query), await RunningServer.ReadFrameAsync(socket));
            await Task.Delay(50);
        }

        Assert.True(await RunningServer.IsClosedByServerAsync(socket));
    }

    [Fact]
    public async Task Connection_IdleAfterAnEarlierOneTimedOut_ClosedAfterTimeoutToo()
    {
        // The first connection's close leaves nothing open (the event loop stops its sweep timer); the second must
        // still be swept.
        await using var server = await StartAsync(idleTimeout: TimeSpan.FromMilliseconds(300));
        for (var connection = 0; connection < 2; connection++)
        {
            using var socket = await server.ConnectTcpAsync();
            var query = QueryWithId(connection, 0);
            await socket.SendAsync(RunningServer.Frame(query));
            Assert.Equal(EchoResponder.Expected(query), await RunningServer.ReadFrameAsync(socket));

            Assert.True(await RunningServer.IsClosedByServerAsync(socket));
        }
    }

    [Fact]
    public async Task Accept_OverConnectionCap_NewConnectionClosedExistingOneServed()
    {
        await using var server = await StartAsync(maxConnections: 1);
        using var first = await server.ConnectTcpAsync();
        await first.SendAsync(RunningServer.Frame(Query1));
        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(first));

        using var second = await server.ConnectTcpAsync();
        Assert.True(await RunningServer.IsClosedByServerAsync(second));

        await first.SendAsync(RunningServer.Frame(Query2));
        Assert.Equal(EchoResponder.Expected(Query2), await RunningServer.ReadFrameAsync(first));
    }

    [Fact]
    public async Task Accept_AfterConnectionEnds_SlotIsFreedForTheNext()
    {
        await using var server = await StartAsync(maxConnections: 1);
        using (var first = await server.ConnectTcpAsync())
        {
            await first.SendAsync(RunningServer.Frame(Query1));
            Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(first));
        }

        // The server notices the close asynchronously; poll until the slot is free (bounded by the safety net).
        using var timeout = new CancellationTokenSource(RunningServer.Patience);
        while (server.Server.OpenTcpConnections > 0)
        {
            await Task.Delay(10, timeout.Token);
        }

        using var next = await server.ConnectTcpAsync();
        await next.SendAsync(RunningServer.Frame(Query2));
        Assert.Equal(EchoResponder.Expected(Query2), await RunningServer.ReadFrameAsync(next));
    }

    [Fact]
    public async Task Connection_ClientReadsOnlyAfterSendingAll_EveryAnswerArrivesInOrder()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectTcpAsync();
        byte[] huge = [EchoResponder.Huge, 0, 0, 0];
        var queries = Enumerable.Repeat(huge, 200).Append(Query1).ToArray();

        // 13 MB of answers: more than the socket buffers hold, so the server must wait for the client to read.
        await socket.SendAsync(RunningServer.Frame(queries));

        for (var i = 0; i < 200; i++)
        {
            var answer = await RunningServer.ReadFrameAsync(socket);
            Assert.NotNull(answer);
            Assert.Equal(TcpFrames.MaxMessage, answer.Length);
        }

        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(socket));
    }

    [Fact]
    public async Task Connection_ManyClientsInterleaved_EachGetsItsOwnAnswers()
    {
        await using var server = await StartAsync();
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                sockets.Add(await server.ConnectTcpAsync());
            }

            for (var round = 0; round < 3; round++)
            {
                for (var i = 0; i < sockets.Count; i++)
                {
                    await sockets[i].SendAsync(RunningServer.Frame(QueryWithId(i, round)));
                }

                for (var i = 0; i < sockets.Count; i++)
                {
                    Assert.Equal(EchoResponder.Expected(QueryWithId(i, round)), await RunningServer.ReadFrameAsync(sockets[i]));
                }
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Stop_ConnectionWaitingForAQuery_ClosedAndDrained()
    {
        var server = await StartAsync();
        using var socket = await server.ConnectTcpAsync();
        await socket.SendAsync(RunningServer.Frame(Query1));
        Assert.Equal(EchoResponder.Expected(Query1), await RunningServer.ReadFrameAsync(socket));

        await server.StopAsync();

        Assert.True(await RunningServer.IsClosedByServerAsync(socket));
        Assert.Equal(0, server.Server.OpenTcpConnections);
    }
}

/// <summary>Connections served by the endpoint's epoll loop (the default on Linux).</summary>
public sealed class EventLoopTcpDnsListenerTests : TcpDnsListenerTests
{
    protected override bool TcpEventLoop => true;
}

/// <summary>Connections served by the thread pool (the path on other systems).</summary>
public sealed class ThreadPoolTcpDnsListenerTests : TcpDnsListenerTests
{
    protected override bool TcpEventLoop => false;
}
