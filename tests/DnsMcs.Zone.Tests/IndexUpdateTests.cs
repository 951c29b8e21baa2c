using DnsMcs.Dns;
using DnsMcs.Zone.Model;
using static DnsMcs.Zone.Tests.ClusterSetFixture;

namespace DnsMcs.Zone.Tests;

/// <summary>The update API: changes are served at once, per service, and removals leave nothing behind.</summary>
public sealed class IndexUpdateTests
{
    private const string Web = "web.shop.svc.clusterset.local.";

    [Fact]
    public void PutService_Replaced_ServesNewAddresses()
    {
        var index = Standard();
        index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.0.99"], Port("http", 80)));

        Assert.Equal(["web.shop.svc.clusterset.local. 5 IN A 10.96.0.99"], Lines(Ask(index, Web, DnsRecordType.A).Answers));
        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, "_metrics._tcp.web.shop.svc.clusterset.local.", DnsRecordType.SRV).ResponseCode);
    }

    [Fact]
    public void RemoveService_Last_NamespaceStillExistsOnlyIfItsObjectIsKnown()
    {
        var index = NewIndex();
        index.PutService(Service("solo", "one", ServiceType.ClusterSetIP, ["10.96.1.1"]));
        Assert.Equal(DnsResponseCode.NoError, Ask(index, "solo.svc.clusterset.local.", DnsRecordType.A).ResponseCode);

        index.RemoveService("solo", "one");

        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, "one.solo.svc.clusterset.local.", DnsRecordType.A).ResponseCode);
        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, "solo.svc.clusterset.local.", DnsRecordType.A).ResponseCode);
        Assert.Equal(0, index.ServiceCount);
    }

    [Fact]
    public void PutEndpointSlice_BeforeItsService_IsServedOnceTheServiceArrives()
    {
        var index = NewIndex();
        index.PutEndpointSlice(Slice("data", "db-a", "db", "cluster-a", [Port("tcp", 5432)], Ep("10.1.1.1", "db-0")));
        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.A).ResponseCode);

        index.PutService(Service("data", "db", ServiceType.Headless, []));

        Assert.Equal(["db.data.svc.clusterset.local. 5 IN A 10.1.1.1"], Lines(Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.A).Answers));
    }

    [Fact]
    public void RemoveEndpointSlice_LastReadyOfHeadless_NameDisappears()
    {
        var index = Standard();
        index.RemoveEndpointSlice("data", "db-a");
        Assert.Equal(["db.data.svc.clusterset.local. 5 IN A 10.2.1.1"], Lines(Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.A).Answers));
        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, "db-0.cluster-a.db.data.svc.clusterset.local.", DnsRecordType.A).ResponseCode);

        index.RemoveEndpointSlice("data", "db-b");

        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.A).ResponseCode);
    }

    [Fact]
    public void PutEndpointSlice_MovedToAnotherService_LeavesTheOldOne()
    {
        var index = Standard();
        index.PutEndpointSlice(Slice("data", "db-b", "light", "cluster-b.eu", [Port("http", 80)], Ep("10.2.1.1", "db-0")));

        Assert.Equal(2, Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.A).Answers.Count);
        Assert.Equal(3, Ask(index, "light.data.svc.clusterset.local.", DnsRecordType.A).Answers.Count);
    }

    [Fact]
    public void PutEndpointSlice_SameAddressInTwoSlicesOfOneCluster_AnsweredOnce()
    {
        var index = NewIndex();
        index.PutService(Service("data", "db", ServiceType.Headless, []));
        index.PutEndpointSlice(Slice("data", "db-1", "db", "cluster-a", [], Ep("10.1.1.1", "db-0")));
        index.PutEndpointSlice(Slice("data", "db-2", "db", "cluster-a", [], Ep("10.1.1.1", "db-0")));
        index.PutEndpointSlice(Slice("data", "db-3", "db", "cluster-b", [], Ep("10.1.1.1", "db-0")));

        Assert.Single(Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.A).Answers);
        Assert.Single(Ask(index, "db-0.cluster-a.db.data.svc.clusterset.local.", DnsRecordType.A).Answers);
        Assert.Single(Ask(index, "db-0.cluster-b.db.data.svc.clusterset.local.", DnsRecordType.A).Answers);
    }

    [Fact]
    public void SetLocalClusterId_SliceWithoutSourceCluster_NamedAfterTheLocalCluster()
    {
        var index = NewIndex();
        index.PutService(Service("data", "db", ServiceType.Headless, [], Port("pg", 5432)));
        index.PutEndpointSlice(Slice("data", "db-1", "db", null, [Port("pg", 5432)], Ep("10.1.1.1", "db-0")));
        Assert.Equal(DnsResponseCode.NXDomain, Ask(index, "db-0.home.db.data.svc.clusterset.local.", DnsRecordType.A).ResponseCode);

        index.SetLocalClusterId("home");

        Assert.Single(Ask(index, "db-0.home.db.data.svc.clusterset.local.", DnsRecordType.A).Answers);
        Assert.Equal(
            ["_pg._tcp.db.data.svc.clusterset.local. 5 IN SRV 0 100 5432 db-0.home.db.data.svc.clusterset.local."],
            Lines(Ask(index, "_pg._tcp.db.data.svc.clusterset.local.", DnsRecordType.SRV).Answers));
    }

    [Fact]
    public void ClusterCount_FollowsSlicesAndTheLocalClusterId()
    {
        var index = NewIndex();
        index.PutEndpointSlice(Slice("data", "a-1", "db", "a", [], Ep("10.1.1.1")));
        index.PutEndpointSlice(Slice("data", "a-2", "db", "a", [], Ep("10.1.1.2")));
        index.PutEndpointSlice(Slice("data", "b-1", "db", "b.eu", [], Ep("10.2.1.1")));
        index.PutEndpointSlice(Slice("data", "local-1", "db", null, [], Ep("10.3.1.1")));
        Assert.Equal(3, index.ClusterCount);

        index.SetLocalClusterId("a");
        Assert.Equal(2, index.ClusterCount);

        index.RemoveEndpointSlice("data", "a-1");
        index.RemoveEndpointSlice("data", "a-2");
        index.RemoveEndpointSlice("data", "local-1");
        Assert.Equal(1, index.ClusterCount);

        index.PutEndpointSlice(Slice("data", "b-1", "db", "c", [], Ep("10.2.1.1")));
        Assert.Equal(1, index.ClusterCount);
    }

    [Fact]
    public void Batch_DefersPublicationUntilDisposed()
    {
        var index = NewIndex();
        using (index.Batch())
        {
            index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.0.10"]));
            Assert.Equal(DnsResponseCode.NXDomain, Ask(index, Web, DnsRecordType.A).ResponseCode);
        }

        Assert.Equal(DnsResponseCode.NoError, Ask(index, Web, DnsRecordType.A).ResponseCode);
    }

    [Fact]
    public void ServiceImportWithoutPorts_SlicesNamedPortsStandIn()
    {
        var index = NewIndex();
        index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.0.10"]));
        index.PutEndpointSlice(Slice("shop", "web-a", "web", "a", [Port("http", 8080), Port(null, 9999)], Ep("10.1.0.1")));

        Assert.Equal(
            ["_http._tcp.web.shop.svc.clusterset.local. 5 IN SRV 0 100 8080 web.shop.svc.clusterset.local."],
            Lines(Ask(index, "_http._tcp.web.shop.svc.clusterset.local.", DnsRecordType.SRV).Answers));
    }

    [Fact]
    public void HeadlessDualStack_AandAaaaFromTheSameEndpoints_SrvWeightCountsEveryTuple()
    {
        var index = NewIndex();
        index.PutService(Service("data", "db", ServiceType.Headless, [], Port("pg", 5432)));
        index.PutEndpointSlice(Slice("data", "db-v4", "db", "a", [Port("pg", 5432)], Ep("10.1.1.1", "db-0")));
        index.PutEndpointSlice(Slice("data", "db-v6", "db", "a", [Port("pg", 5432)], Ep("fd00::1", "db-0")));

        Assert.Single(Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.A).Answers);
        Assert.Single(Ask(index, "db.data.svc.clusterset.local.", DnsRecordType.AAAA).Answers);
        var srv = Ask(index, "_pg._tcp.db.data.svc.clusterset.local.", DnsRecordType.SRV);
        Assert.Equal(["_pg._tcp.db.data.svc.clusterset.local. 5 IN SRV 0 50 5432 db-0.a.db.data.svc.clusterset.local."], Lines(srv.Answers));
        Assert.Equal(
            ["db-0.a.db.data.svc.clusterset.local. 5 IN A 10.1.1.1", "db-0.a.db.data.svc.clusterset.local. 5 IN AAAA fd00::1"],
            Lines(srv.Additionals));
    }

    [Fact]
    public void Serial_MovesWithChangesAndNeverBackwards()
    {
        var index = NewIndex();
        Assert.Equal(Serial, index.Serial);
        index.PutNamespace("x");
        Assert.Equal(Serial, index.Serial);
    }

    [Theory]
    [InlineData("example.org", "web.shop.svc.example.org.")]
    [InlineData("Mesh.Internal.", "web.shop.svc.mesh.internal.")]
    public void CustomZone_AnswersUnderItAndRefusesClustersetLocal(string zone, string name)
    {
        var index = NewIndex(zone: zone);
        index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.0.10"]));

        Assert.Single(Ask(index, name, DnsRecordType.A).Answers);
        Assert.Equal(DnsResponseCode.Refused, Ask(index, Web, DnsRecordType.A).ResponseCode);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(3600u)]
    public void Ttl_Configured_UsedInRecordsAndSoaCappedAt300(uint ttl)
    {
        var index = NewIndex(ttl);
        index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.0.10"]));

        Assert.Equal(ttl, Assert.Single(Ask(index, Web, DnsRecordType.A).Answers).Ttl);
        var soa = Assert.Single(Ask(index, "nope.clusterset.local.", DnsRecordType.A).Authorities);
        Assert.Equal(Math.Min(ttl, 300u), soa.Ttl);
    }

    [Fact]
    public void Ttl_AboveOneHour_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewIndex(3601));
    }

    [Fact]
    public async Task ConcurrentReadersDuringUpdates_SeeOneVersionOfAService()
    {
        // A writer flips a headless service between two endpoint sets; every SRV answer must match
        // one version whole: targets and additional records from the same version.
        var index = NewIndex();
        index.PutService(Service("data", "db", ServiceType.Headless, [], Port("pg", 5432)));
        var versions = new[]
        {
            Slice("data", "db-a", "db", "a", [Port("pg", 5432)], Ep("10.1.1.1", "db-0"), Ep("10.1.1.2", "db-1")),
            Slice("data", "db-a", "db", "a", [Port("pg", 5432)], Ep("10.1.1.3", "db-2")),
        };
        index.PutEndpointSlice(versions[0]);
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                index.PutEndpointSlice(versions[i % 2]);
            }
        });

        var responder = new DnsResponder(index);
        var query = Query("_pg._tcp.db.data.svc.clusterset.local.", DnsRecordType.SRV);
        var buffer = new byte[65535];
        while (!writer.IsCompleted)
        {
            var response = responder.Respond(query, buffer, DnsTransport.Tcp);
            var reply = DnsOracle.Decode(buffer.AsSpan(0, response.Length));
            var targets = reply.Answers.Select(a => ((DnsSrvData)a.Data).Target).Order().ToArray();
            var glue = reply.Additionals.Select(a => a.Name).Order().ToArray();
            Assert.Equal(targets, glue);
            Assert.True(targets.Length is 1 or 2);
        }

        await writer;
    }
}
