using System.Buffers.Binary;
using System.Collections.Concurrent;
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
/// The UDP loops, batch (recvmmsg/sendmmsg, Linux) and managed: every answer goes back to the address its query came
/// from, bursts from several senders included; the loop allocates nothing per query once warm (measured on the loop's
/// own thread, as <see cref="TcpEventLoopAllocationTests"/> does); stopping ends the loop and frees the port.
/// </summary>
public sealed class UdpBatchLoopTests
{
    private const int WarmUpQueries = 500;
    private const int MeasuredQueries = 2000;
    private const string Name = "web.shop.svc.clusterset.local.";

    /// <summary>responder: "echo" is the transport alone, "zone" the production chain; burst: queries sent before reading.</summary>
    public static TheoryData<string, int, bool> AllocationCases() => new()
    {
        { "echo", 1, true },
        { "echo", 10, true },
        { "echo", 25, true },
        { "zone", 1, true },
        { "zone", 20, true },
        { "echo", 10, false },
        { "zone", 20, false },
    };

    [Theory]
    [MemberData(nameof(AllocationCases))]
    public void Serve_WarmLoop_LoopThreadAllocatesNothingPerQuery(string responder, int burst, bool batch)
    {
        using var metrics = new DnsMetrics(DnsMetrics.ServerLabel(53), "clusterset.local");
        using var collector = new MetricsCollector([metrics.Meter]);
        metrics.AttachCollector(collector);
        var packets = responder == "zone"
            ? new MeteredPacketResponder(new ZonePacketResponder(new DnsResponder(Index())), metrics, AddressFamily.InterNetwork)
            : (IPacketResponder)new EchoResponder();
        using var listener = UdpDnsListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), 1, packets, NullLogger.Instance, batch);
        listener.Start();
        using var client = Client(AddressFamily.InterNetwork, listener.Endpoint);
        using var poke = Client(AddressFamily.InterNetwork, listener.Endpoint);
        var query = DnsMessage.CreateQuery(Name, DnsRecordType.A, id: 0x1234).ToWire();

        var expected = Answers(client, query, burst, 1, null);
        Assert.Equal(batch ? 1 : 0, listener.BatchLoops); // the batch path is the one measured (Linux, as this server is)
        Assert.Equal(0x80, expected[2] & 0x80); // an answer, not the query back
        if (responder == "zone")
        {
            var answer = DnsMessage.Parse(expected);
            Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
            Assert.NotEmpty(answer.Answers);
        }

        Answers(client, query, burst, WarmUpQueries / burst, expected);

        // Exactly 0 in a window: two readings bracket every byte the loop thread allocated in between, whatever other
        // threads do.
        var windows = AllocationWindows.Measure(() =>
        {
            var before = listener.AllocatedBytesOnLoopThread(RunningServer.Patience, () => poke.Send(query));
            Answers(client, query, burst, MeasuredQueries / burst, expected);
            return listener.AllocatedBytesOnLoopThread(RunningServer.Patience, () => poke.Send(query)) - before;
        });

        Assert.True(windows[^1] == 0, $"the loop thread allocated in every window of {MeasuredQueries} queries: {string.Join(", ", windows)} B");
    }

    /// <summary>loopback: the server's address; senders × burst datagrams are all sent before any answer is read.</summary>
    public static TheoryData<string, int, int, int, bool> SenderCases()
    {
        var cases = new TheoryData<string, int, int, int, bool>();
        foreach (var loopback in Loopbacks())
        {
            foreach (var batch in new[] { true, false })
            {
                cases.Add(loopback, 1, 1, 1, batch);
                cases.Add(loopback, 3, 7, 1, batch);
                cases.Add(loopback, 4, 25, 2, batch);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(SenderCases))]
    public void Serve_BurstsFromSeveralSenders_EachAnswerReachesItsSenderWithItsId(string loopback, int senders, int burst, int sockets, bool batch)
    {
        var responder = new PeerRecordingResponder();
        using var listener = UdpDnsListener.Bind(new IPEndPoint(IPAddress.Parse(loopback), 0), sockets, responder, NullLogger.Instance, batch);
        listener.Start();
        var clients = new Socket[senders];
        try
        {
            for (var s = 0; s < senders; s++)
            {
                clients[s] = Client(listener.Endpoint.AddressFamily, listener.Endpoint);
            }

            // Every sender's burst is queued before the server answers any, so one receive can take datagrams of several.
            for (var k = 0; k < burst; k++)
            {
                for (var s = 0; s < senders; s++)
                {
                    clients[s].Send(Query(Id(s, k)));
                }
            }

            var buffer = new byte[512];
            for (var s = 0; s < senders; s++)
            {
                var ids = new HashSet<int>();
                for (var k = 0; k < burst; k++)
                {
                    var length = clients[s].Receive(buffer);
                    Assert.Equal(12, length);
                    Assert.Equal(0x80, buffer[2] & 0x80);
                    ids.Add(BinaryPrimitives.ReadUInt16BigEndian(buffer));
                }

                Assert.Equal(Enumerable.Range(0, burst).Select(k => Id(s, k)).ToHashSet(), ids);
                var local = clients[s].LocalEndPoint!.ToString();
                Assert.All(ids, id => Assert.Equal(local, responder.Peers[id]));
            }

            Assert.Equal(batch ? sockets : 0, listener.BatchLoops);
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
        }
    }

    public static TheoryData<bool, bool> StopCases() => new()
    {
        { true, true },
        { true, false },
        { false, true },
        { false, false },
    };

    /// <summary>stop: Stop (waits) or Dispose alone (does not); either way the blocked loops end and close their sockets.</summary>
    [Theory]
    [MemberData(nameof(StopCases))]
    public void Stop_LoopsBlockedInReceive_EndAndFreeThePort(bool batch, bool stop)
    {
        var listener = UdpDnsListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), 2, new EchoResponder(), NullLogger.Instance, batch);
        listener.Start();
        var endpoint = listener.Endpoint;
        using (var client = Client(AddressFamily.InterNetwork, endpoint))
        {
            Answers(client, Query(7), 1, 1, null);
        }

        if (stop)
        {
            listener.Stop(RunningServer.Patience);
        }

        listener.Dispose();

        // Once both loops have closed their sockets the port is free again (Dispose returns before they have).
        var deadline = DateTime.UtcNow + RunningServer.Patience;
        while (true)
        {
            try
            {
                using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                again.Bind(endpoint);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
        }

        Assert.Equal(0, listener.BatchLoops);
    }

    private static IEnumerable<string> Loopbacks()
    {
        yield return "127.0.0.1";
        if (Socket.OSSupportsIPv6 && CanBind(IPAddress.IPv6Loopback))
        {
            yield return "::1";
        }
    }

    private static bool CanBind(IPAddress address)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Id(int sender, int k) => (sender << 8) | k;

    private static byte[] Query(int id)
    {
        byte[] query = [0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(query, (ushort)id);
        return query;
    }

    private static Socket Client(AddressFamily family, IPEndPoint server)
    {
        var client = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        client.ReceiveTimeout = (int)RunningServer.Patience.TotalMilliseconds;
        client.Connect(server);
        return client;
    }

    /// <summary>Sends <paramref name="burst"/> copies of <paramref name="query"/>, then reads as many answers; <paramref name="rounds"/> times.</summary>
    private static byte[] Answers(Socket client, byte[] query, int burst, int rounds, byte[]? expected)
    {
        var buffer = new byte[4096];
        var answer = Array.Empty<byte>();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < burst; i++)
            {
                client.Send(query);
            }

            for (var i = 0; i < burst; i++)
            {
                var length = client.Receive(buffer);
                answer = buffer.AsSpan(0, length).ToArray();
                Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(query), BinaryPrimitives.ReadUInt16BigEndian(answer));
                if (expected is not null)
                {
                    Assert.Equal(expected, answer);
                }
            }
        }

        return answer;
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

    /// <summary>Echoes the query as an answer and records, by ID, who the listener said sent it.</summary>
    private sealed class PeerRecordingResponder : IPacketResponder
    {
        public ConcurrentDictionary<int, string> Peers { get; } = new();

        public DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, DnsPeer peer)
        {
            Peers[BinaryPrimitives.ReadUInt16BigEndian(query)] = peer.ToString();
            query.CopyTo(response);
            response[2] |= 0x80;
            return new DnsResponse(query.Length, DnsResponseCode.NoError, DnsRecordType.A, Truncated: false);
        }
    }
}
