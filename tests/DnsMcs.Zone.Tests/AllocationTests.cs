using DnsMcs.Dns;
using static DnsMcs.Zone.Tests.ClusterSetFixture;

namespace DnsMcs.Zone.Tests;

/// <summary>The hot path allocates nothing: measured with the runtime's per-thread allocation counter.</summary>
public sealed class AllocationTests
{
    public static TheoryData<string, DnsRecordType, bool> Questions() => new()
    {
        { "web.shop.svc.clusterset.local.", DnsRecordType.A, false },
        { "_postgres._tcp.db.data.svc.clusterset.local.", DnsRecordType.SRV, true },
        { "db-0.cluster-b.eu.db.data.svc.clusterset.local.", DnsRecordType.A, false },
        { "nope.shop.svc.clusterset.local.", DnsRecordType.A, true },
        { "clusterset.local.", DnsRecordType.SOA, false },
        { "example.com.", DnsRecordType.A, false },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public void Respond_Warm_AllocatesNothing(string name, DnsRecordType type, bool edns)
    {
        var responder = new DnsResponder(Standard());
        var query = Query(name, type, edns);
        var buffer = new byte[65535];
        for (var i = 0; i < 100; i++)
        {
            responder.Respond(query, buffer, DnsTransport.Udp);
        }

        var windows = AllocationWindows.Measure(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                responder.Respond(query, buffer, DnsTransport.Udp);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.True(windows[^1] == 0, $"every window of 1000 answers allocated: {string.Join(", ", windows)} B");
    }
}
