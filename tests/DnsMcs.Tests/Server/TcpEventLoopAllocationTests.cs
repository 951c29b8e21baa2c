using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Metrics;
using DnsMcs.Server;
using DnsMcs.Zone;
using DnsMcs.Zone.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Tests.Server;

/// <summary>
/// The epoll loop allocates nothing per query once warm: measured with the runtime's per-thread counter read on the
/// loop's own thread, so the test runner's other threads (and this test's client) do not count.
/// </summary>
public sealed class TcpEventLoopAllocationTests
{
    private const int WarmUpQueries = 500;
    private const int MeasuredQueries = 2000;
    private const string Name = "web.shop.svc.clusterset.local.";

    /// <summary>
    /// responder: "echo" is the transport alone; "zone" the production chain (metrics with the collector attached, then
    /// the zone's answers). pipelineDepth: queries per write (1 is sequential). connections: clients served at once,
    /// so one wake-up carries several ready connections. Depth × connections divides both query counts.
    /// </summary>
    public static TheoryData<string, int, int> Cases() => new()
    {
        { "echo", 1, 1 },
        { "echo", 100, 1 },
        { "echo", 25, 4 },
        { "zone", 1, 1 },
        { "zone", 100, 1 },
        { "zone", 25, 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Serve_WarmConnections_LoopThreadAllocatesNothingPerQuery(string responder, int pipelineDepth, int connections)
    {
        using var metrics = new DnsMetrics(DnsMetrics.ServerLabel(53), "clusterset.local");
        using var collector = new MetricsCollector([metrics.Meter]);
        metrics.AttachCollector(collector);
        var packets = responder == "zone"
            ? new MeteredPacketResponder(new ZonePacketResponder(new DnsResponder(Index())), metrics, AddressFamily.InterNetwork)
            : (IPacketResponder)new EchoResponder();
        using var listener = TcpDnsListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), packets, new TcpConnectionTracker(10), TimeSpan.FromSeconds(30), eventLoop: true, NullLogger.Instance);
        var loop = listener.EventLoop;
        Assert.NotNull(loop); // the epoll loop is Linux-only, as this server is
        listener.Start();

        var clients = new Socket[connections];
        for (var i = 0; i < connections; i++)
        {
            clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            clients[i].ReceiveTimeout = clients[i].SendTimeout = (int)RunningServer.Patience.TotalMilliseconds;
            clients[i].NoDelay = true;
            clients[i].Connect(listener.Endpoint);
        }

        try
        {
            Measure(loop, clients, pipelineDepth, responder == "zone");
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static void Measure(TcpEventLoop loop, Socket[] clients, int pipelineDepth, bool zone)
    {
        var perRound = pipelineDepth * clients.Length;
        var query = DnsMessage.CreateQuery(Name, DnsRecordType.A, id: 0x1234).ToWire();
        var batch = RunningServer.Frame([.. Enumerable.Repeat(query, pipelineDepth)]);
        var expected = Answers(clients, batch, 1, pipelineDepth, null);
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(expected));
        Assert.Equal(0x80, expected[2] & 0x80); // an answer, not the query back
        if (zone)
        {
            var answer = DnsMessage.Parse(expected);
            Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
            Assert.NotEmpty(answer.Answers);
        }

        Answers(clients, batch, WarmUpQueries / perRound, pipelineDepth, expected);
        // Exactly 0 in a window, not a bound: the smallest object is 24 bytes, so even one allocation per read or wake-up
        // shows in every window, and the two probe readings bracket every byte the loop thread allocated in between,
        // whatever other threads do.
        var windows = AllocationWindows.Measure(() =>
        {
            var before = loop.AllocatedBytesOnLoopThread(RunningServer.Patience);
            Answers(clients, batch, MeasuredQueries / perRound, pipelineDepth, expected);
            return loop.AllocatedBytesOnLoopThread(RunningServer.Patience) - before;
        });

        Assert.True(windows[^1] == 0, $"the loop thread allocated in every window of {MeasuredQueries} queries: {string.Join(", ", windows)} B");
    }

    [Fact]
    public void Serve_ClientReadsOnlyAfterSendingAll_LoopThreadAllocatesNothingPerStall()
    {
        using var listener = TcpDnsListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), new EchoResponder(), new TcpConnectionTracker(10), TimeSpan.FromSeconds(30), eventLoop: true, NullLogger.Instance);
        var loop = listener.EventLoop;
        Assert.NotNull(loop);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = client.SendTimeout = (int)RunningServer.Patience.TotalMilliseconds;
        client.Connect(listener.Endpoint);

        // 200 largest answers (13 MB) per round: more than the socket buffers hold, so every round the loop keeps
        // answers for later, waits for the client to read, and goes back to reading.
        byte[] huge = [EchoResponder.Huge, 0, 0, 0];
        var batch = RunningServer.Frame([.. Enumerable.Repeat(huge, 200)]);
        var expected = Answers([client], batch, 1, 200, null);
        Assert.Equal(TcpFrames.MaxMessage, expected.Length);

        Answers([client], batch, 2, 200, expected);
        var windows = AllocationWindows.Measure(() =>
        {
            var before = loop.AllocatedBytesOnLoopThread(RunningServer.Patience);
            Answers([client], batch, 5, 200, expected);
            return loop.AllocatedBytesOnLoopThread(RunningServer.Patience) - before;
        });

        Assert.True(windows[^1] == 0, $"the loop thread allocated in every window of 1000 queries answered to a slow client: {string.Join(", ", windows)} B");
    }

    /// <summary>
    /// Sends <paramref name="batch"/> on every client, <paramref name="rounds"/> times, each time reading every answer
    /// and checking it.
    /// </summary>
    private static byte[] Answers(Socket[] clients, byte[] batch, int rounds, int perBatch, byte[]? expected)
    {
        var answer = Array.Empty<byte>();
        var prefix = new byte[2];
        for (var round = 0; round < rounds; round++)
        {
            foreach (var client in clients)
            {
                client.Send(batch);
            }

            foreach (var client in clients)
            {
                for (var i = 0; i < perBatch; i++)
                {
                    ReadExactly(client, prefix);
                    answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                    ReadExactly(client, answer);
                    if (expected is not null)
                    {
                        Assert.Equal(expected, answer);
                    }
                }
            }
        }

        return answer;
    }

    private static void ReadExactly(Socket client, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = client.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
            Assert.True(n > 0, "the server closed the connection");
            read += n;
        }
    }

    /// <summary>shop/web: a ClusterSetIP with one ready endpoint, so the zone answers with a record.</summary>
    private static ClusterSetIndex Index()
    {
        var index = new ClusterSetIndex(new ZoneOptions());
        using (index.Batch())
        {
            index.PutNamespace("shop");
            index.PutService(new ServiceInfo("shop", "web", ServiceType.ClusterSetIP, [IPAddress.Parse("10.96.0.10")], [new PortInfo("http", "TCP", 80)]));
            index.PutEndpointSlice(new EndpointSliceInfo("shop", "web-a", "web", "cluster-a", AddressFamily.InterNetwork, [new PortInfo("http", "TCP", 8080)], [new EndpointInfo(ImmutableArray.Create(IPAddress.Parse("10.1.0.1")), null, true)]));
        }

        return index;
    }
}
