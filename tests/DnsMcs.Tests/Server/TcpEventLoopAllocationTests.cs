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

    public static TheoryData<string, int> Cases() => new()
    {
        // responder: "echo" is the transport alone; "zone" is the production chain (metrics with the collector attached, then the zone's answers).
        { "echo", 1 },
        { "echo", 100 },
        { "zone", 1 },
        { "zone", 100 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Serve_WarmConnection_LoopThreadAllocatesNothingPerQuery(string responder, int pipelineDepth)
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

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = client.SendTimeout = (int)RunningServer.Patience.TotalMilliseconds;
        client.NoDelay = true;
        client.Connect(listener.Endpoint);

        var query = DnsMessage.CreateQuery(Name, DnsRecordType.A, id: 0x1234).ToWire();
        var batch = RunningServer.Frame([.. Enumerable.Repeat(query, pipelineDepth)]);
        var expected = Answers(client, batch, 1, pipelineDepth, null);
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(expected));
        Assert.Equal(0x80, expected[2] & 0x80); // an answer, not the query back
        if (responder == "zone")
        {
            var answer = DnsMessage.Parse(expected);
            Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
            Assert.NotEmpty(answer.Answers);
        }

        Answers(client, batch, WarmUpQueries / pipelineDepth, pipelineDepth, expected);
        var before = loop.AllocatedBytesOnLoopThread(RunningServer.Patience);
        Answers(client, batch, MeasuredQueries / pipelineDepth, pipelineDepth, expected);
        var allocated = loop.AllocatedBytesOnLoopThread(RunningServer.Patience) - before;

        // Exactly 0: any object allocated per query (the smallest is 24 bytes) would show 2000 times over.
        Assert.True(allocated == 0, $"the loop thread allocated {allocated} B over {MeasuredQueries} queries ({(double)allocated / MeasuredQueries:F2} B/query)");
    }

    /// <summary>Sends <paramref name="batch"/> <paramref name="rounds"/> times, each time reading every answer and checking it.</summary>
    private static byte[] Answers(Socket client, byte[] batch, int rounds, int perBatch, byte[]? expected)
    {
        var answer = Array.Empty<byte>();
        var prefix = new byte[2];
        for (var round = 0; round < rounds; round++)
        {
            client.Send(batch);
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
