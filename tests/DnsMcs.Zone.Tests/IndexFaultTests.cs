using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Zone.Faults;
using DnsMcs.Zone.Model;
using static DnsMcs.Zone.Tests.ClusterSetFixture;

namespace DnsMcs.Zone.Tests;

/// <summary>
/// Fault isolation: a service whose names cannot all be represented, or whose build throws, keeps serving what
/// can be served, is reported once with a reason, and never stops the writer: a healthy service added after it
/// is served. Every answer is decoded by both decoders (DnsOracle through Ask).
/// </summary>
public sealed class IndexFaultTests
{
    private static readonly string L63 = new('a', 63);
    private static readonly string N63 = new('n', 63);
    private static readonly string S63 = new('s', 63);
    private static readonly string H63 = new('h', 63);

    /// <summary>A 58-byte zone: long enough that a 64-byte "_port" pushes a 63+63-character service past 255 bytes.</summary>
    private static readonly string LongZone = new string('z', 50) + ".local";

    public static TheoryData<FaultCase> Cases() =>
    [
        new(
            "a 63-character port name (a 64-byte _port label)",
            index =>
            {
                index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.0.10"], Port(L63, 80), Port("http", 8080)));
                index.PutEndpointSlice(Slice("shop", "web-a", "web", "cluster-a", [Port(L63, 80)], Ep("10.1.0.1")));
            },
            [IndexRejectionReason.LabelTooLong],
            [
                ("web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1),
                ("_http._tcp.web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError, 1),
                ("web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError, 2), // the long port's record still counts here
                ("10-1-0-1.cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1),
            ]),
        new(
            "a per-endpoint name over 255 bytes (63-character namespace, service, hostname and a two-label cluster)",
            index =>
            {
                index.PutService(Service(N63, S63, ServiceType.Headless, [], Port("db", 5432)));
                index.PutEndpointSlice(Slice(N63, "long-a", S63, $"{new string('c', 31)}.{new string('d', 31)}", [Port("db", 5432)],
                    Ep("10.5.0.1", H63), Ep("10.5.0.2", "short")));
            },
            [IndexRejectionReason.NameTooLong],
            [
                ($"{S63}.{N63}.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 2), // both addresses count
                ($"_db._tcp.{S63}.{N63}.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError, 1), // only the representable target
            ]),
        new(
            "a _port._proto name over 255 bytes (in a 58-byte zone)",
            index => index.PutService(Service(N63, S63, ServiceType.ClusterSetIP, ["10.96.5.1"], Port(new string('p', 62), 80), Port("ok", 81))),
            [IndexRejectionReason.NameTooLong],
            [
                ($"{S63}.{N63}.svc.{LongZone}.", DnsRecordType.A, DnsResponseCode.NoError, 1),
                ($"_ok._tcp.{S63}.{N63}.svc.{LongZone}.", DnsRecordType.SRV, DnsResponseCode.NoError, 1),
                ($"{S63}.{N63}.svc.{LongZone}.", DnsRecordType.SRV, DnsResponseCode.NoError, 2),
            ],
            LongZone),
        new(
            "a port name with a dot (not one label)",
            index => index.PutService(Service("shop", "dotted", ServiceType.ClusterSetIP, ["10.96.0.11"], Port("a.b", 80))),
            [IndexRejectionReason.InvalidLabel],
            [
                ("dotted.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1),
                ("_a.b._tcp.dotted.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NXDomain, 0),
                ("_b._tcp.dotted.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NXDomain, 0),
            ]),
        new(
            "a three-label cluster id on a slice (given to the index directly)",
            index =>
            {
                index.PutService(Service("shop", "three", ServiceType.Headless, [], Port("http", 80)));
                index.PutEndpointSlice(Slice("shop", "three-a", "three", "a.b.c", [Port("http", 80)], Ep("10.6.0.1", "pod")));
            },
            [IndexRejectionReason.InvalidClusterId],
            [
                ("three.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1),
                ("pod.a.b.c.three.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
            ]),
        new(
            "an invalid local cluster id for slices without a source-cluster label",
            index =>
            {
                index.SetLocalClusterId("Not_A_Cluster");
                index.PutService(Service("shop", "local", ServiceType.ClusterSetIP, ["10.96.0.12"], Port("http", 80)));
                index.PutEndpointSlice(Slice("shop", "local-x", "local", null, [Port("http", 80)], Ep("10.7.0.1")));
            },
            [IndexRejectionReason.InvalidClusterId],
            [("local.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1)]),
        new(
            "a 64-character service name (given to the index directly)",
            index => index.PutService(Service("shop", L63 + "a", ServiceType.ClusterSetIP, ["10.96.0.13"])),
            [IndexRejectionReason.LabelTooLong],
            []),
        new(
            "a 64-character namespace (given to the index directly)",
            index => index.PutService(Service(L63 + "b", "web", ServiceType.ClusterSetIP, ["10.96.0.14"])),
            [IndexRejectionReason.LabelTooLong],
            []),
        new(
            "a slice whose endpoint list is missing (the build throws)",
            index =>
            {
                index.PutService(Service("shop", "broken", ServiceType.ClusterSetIP, ["10.96.0.15"], Port("http", 80)));
                index.PutEndpointSlice(new EndpointSliceInfo("shop", "broken-a", "broken", "cluster-a", AddressFamily.InterNetwork, [], default));
            },
            [IndexRejectionReason.BuildFailed],
            [("broken.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1)]), // its answers from before the bad slice
        new(
            "ten thousand endpoints in one headless service",
            index =>
            {
                index.PutService(Service("data", "huge", ServiceType.Headless, [], Port("http", 80)));
                index.PutEndpointSlice(Slice("data", "huge-a", "huge", "cluster-a", [Port("http", 80)],
                    [.. Enumerable.Range(0, 10_000).Select(i => Ep($"10.{8 + (i / 65536)}.{i / 256 % 256}.{i % 256}"))]));
            },
            [IndexRejectionReason.AnswerTooLarge],
            [
                ("10-8-39-15.cluster-a.huge.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 1),
                ("huge.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, 4092), // (65535 - 48 - 11) / 16 records fit
            ]),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Put_HostileObject_ServesTheRestReportsOnceAndKeepsUpdating(FaultCase row)
    {
        var index = NewIndex(zone: row.Zone);
        var reported = new List<IndexRejection>();
        index.Rejected += (_, rejection) => reported.Add(rejection);

        row.Apply(index);

        Assert.Equal(row.Reasons, reported.Select(r => r.Reason).Distinct().Order());
        foreach (var (name, type, rcode, answers) in row.Checks)
        {
            var reply = Ask(index, name, type, DnsTransport.Tcp);
            Assert.Equal(rcode, reply.ResponseCode);
            Assert.Equal(answers, reply.Answers.Count);
        }

        // Reported once: the same objects again (a resync) report nothing new and count nothing.
        var counts = row.Reasons.Select(index.RejectedCount).ToList();
        var before = reported.Count;
        row.Apply(index);
        Assert.Equal(before, reported.Count);
        Assert.Equal(counts, row.Reasons.Select(index.RejectedCount));
        Assert.NotEmpty(index.CurrentRejections());

        // The writer is not stuck: a healthy service added afterwards is served.
        index.PutService(Service("later", "healthy", ServiceType.ClusterSetIP, ["10.99.0.1"], Port("http", 80)));
        index.PutEndpointSlice(Slice("later", "healthy-a", "healthy", "cluster-a", [Port("http", 80)], Ep("10.99.1.1")));
        Assert.Equal([$"healthy.later.svc.{row.Zone}. 5 IN A 10.99.0.1"], Lines(Ask(index, $"healthy.later.svc.{row.Zone}.", DnsRecordType.A).Answers));
        Assert.Single(Ask(index, $"_http._tcp.healthy.later.svc.{row.Zone}.", DnsRecordType.SRV).Answers);
        Assert.Single(Ask(index, $"10-99-1-1.cluster-a.healthy.later.svc.{row.Zone}.", DnsRecordType.A).Answers);
    }

    [Fact]
    public void PutService_LongPortNameInsideABatch_OtherServicesOfTheBatchServed()
    {
        var index = NewIndex();
        using (index.Batch())
        {
            index.PutService(Service("shop", "bad", ServiceType.ClusterSetIP, ["10.96.1.1"], Port(L63, 80)));
            index.PutService(Service("shop", "good", ServiceType.ClusterSetIP, ["10.96.1.2"], Port("http", 80)));
        }

        Assert.Single(Ask(index, "bad.shop.svc.clusterset.local.", DnsRecordType.A).Answers);
        Assert.Single(Ask(index, "_http._tcp.good.shop.svc.clusterset.local.", DnsRecordType.SRV).Answers);
        Assert.Equal(1, index.RejectedCount(IndexRejectionReason.LabelTooLong));
    }

    [Fact]
    public void Reconfigure_WithAFaultyService_RebuildsEveryOtherService()
    {
        var index = NewIndex();
        index.PutService(Service("shop", "bad", ServiceType.ClusterSetIP, ["10.96.1.1"], Port(L63, 80)));
        index.PutService(Service("shop", "good", ServiceType.ClusterSetIP, ["10.96.1.2"], Port("http", 80)));

        index.Reconfigure(index.Options with { Ttl = 30 });

        Assert.Equal(["good.shop.svc.clusterset.local. 30 IN A 10.96.1.2"], Lines(Ask(index, "good.shop.svc.clusterset.local.", DnsRecordType.A).Answers));
        Assert.Equal(1, index.RejectedCount(IndexRejectionReason.LabelTooLong)); // the same fault, not reported again
    }

    [Fact]
    public void PutService_FaultFixed_RejectionClearsAndReturnsCountedAgain()
    {
        var index = NewIndex();
        index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.1.1"], Port(L63, 80)));
        index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.1.1"], Port("http", 80)));
        Assert.Empty(index.CurrentRejections());

        index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.1.1"], Port(L63, 80)));

        Assert.Equal(2, index.RejectedCount(IndexRejectionReason.LabelTooLong));
        var rejection = Assert.Single(index.CurrentRejections());
        Assert.Equal(("shop", "web", "ServiceImport shop/web", $"spec.ports[{L63}].name", "_" + L63), (rejection.Namespace, rejection.Service, rejection.Object, rejection.Field, rejection.Subject));
    }

    [Fact]
    public void Rejected_ObserverThrows_IndexKeepsUpdating()
    {
        var index = NewIndex();
        index.Rejected += (_, _) => throw new InvalidOperationException("observer failure");

        index.PutService(Service("shop", "bad", ServiceType.ClusterSetIP, ["10.96.1.1"], Port(L63, 80)));
        index.PutService(Service("shop", "good", ServiceType.ClusterSetIP, ["10.96.1.2"]));

        Assert.Single(Ask(index, "good.shop.svc.clusterset.local.", DnsRecordType.A).Answers);
    }

    [Fact]
    public void PutEndpointSlice_TwoLabelClusterWithUnrepresentableHosts_NoEmptyNonTerminal()
    {
        var index = NewIndex();
        index.PutService(Service(N63, S63, ServiceType.Headless, [], Port("db", 5432)));
        index.PutEndpointSlice(Slice(N63, "long-a", S63, $"{new string('c', 31)}.{new string('d', 31)}", [Port("db", 5432)], Ep("10.5.0.1", H63)));

        // No per-endpoint name below: the cluster labels do not exist either.
        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, $"{new string('d', 31)}.{S63}.{N63}.svc.clusterset.local.", DnsRecordType.A).ResponseCode);
    }

    public sealed record FaultCase(
        string Description,
        Action<ClusterSetIndex> Apply,
        IndexRejectionReason[] Reasons,
        (string Name, DnsRecordType Type, DnsResponseCode Rcode, int Answers)[] Checks,
        string Zone = "clusterset.local")
    {
        public override string ToString() => Description;
    }
}
