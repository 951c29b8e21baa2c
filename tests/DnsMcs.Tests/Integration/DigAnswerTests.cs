namespace DnsMcs.Tests.Integration;

/// <summary>
/// Rows of the clusterset.local contract (MCS-DNS.md), asked with the real dig of the real process, over UDP and
/// TCP. Records are zone-file text as dig prints them; the order inside a section is not part of the contract.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DigAnswerTests(ServerFixture server)
{
    private const string Soa = "clusterset.local. 5 IN SOA ns.dns.clusterset.local. hostmaster.clusterset.local. " + DigResult.Serial + " 7200 1800 86400 5";

    public static readonly TheoryData<string, string, string, string[], string[], string[]> Rows = new()
    {
        // ClusterSetIP: the VIP; the question's spelling comes back.
        { "web.shop.svc.clusterset.local", "A", "NOERROR", ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"], [], [] },
        { "WEB.Shop.svc.ClusterSet.LOCAL", "A", "NOERROR", ["WEB.Shop.svc.ClusterSet.LOCAL. 5 IN A 10.96.0.10"], [], [] },
        { "web.shop.svc.clusterset.local", "AAAA", "NOERROR", [], [Soa], [] },
        { "api.shop.svc.clusterset.local", "A", "NOERROR", ["api.shop.svc.clusterset.local. 5 IN A 10.96.0.20"], [], [] },
        { "api.shop.svc.clusterset.local", "AAAA", "NOERROR", ["api.shop.svc.clusterset.local. 5 IN AAAA fd00::20"], [], [] },

        // SRV: named ports only, the target's addresses in Additional.
        {
            "_http._tcp.web.shop.svc.clusterset.local", "SRV", "NOERROR",
            ["_http._tcp.web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local."],
            [],
            ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]
        },
        {
            "_HTTP._TCP.web.shop.svc.clusterset.local", "SRV", "NOERROR",
            ["_HTTP._TCP.web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local."],
            [],
            ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]
        },
        {
            "web.shop.svc.clusterset.local", "SRV", "NOERROR",
            [
                "web.shop.svc.clusterset.local. 5 IN SRV 0 50 80 web.shop.svc.clusterset.local.",
                "web.shop.svc.clusterset.local. 5 IN SRV 0 50 9090 web.shop.svc.clusterset.local.",
            ],
            [],
            ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]
        },
        { "_metrics._udp.web.shop.svc.clusterset.local", "SRV", "NXDOMAIN", [], [Soa], [] },

        // Per-endpoint names, one-label and two-label cluster ids; none without a cluster, none per cluster.
        { "10-1-0-1.cluster-a.web.shop.svc.clusterset.local", "A", "NOERROR", ["10-1-0-1.cluster-a.web.shop.svc.clusterset.local. 5 IN A 10.1.0.1"], [], [] },
        { "10-2-0-1.cluster-b.eu.web.shop.svc.clusterset.local", "A", "NOERROR", ["10-2-0-1.cluster-b.eu.web.shop.svc.clusterset.local. 5 IN A 10.2.0.1"], [], [] },
        { "cluster-a.web.shop.svc.clusterset.local", "A", "NOERROR", [], [Soa], [] },
        { "eu.web.shop.svc.clusterset.local", "A", "NOERROR", [], [Soa], [] },
        { "cluster-c.web.shop.svc.clusterset.local", "A", "NXDOMAIN", [], [Soa], [] },
        { "10-1-0-1.web.shop.svc.clusterset.local", "A", "NXDOMAIN", [], [Soa], [] },

        // Headless: ready endpoints of every cluster; SRV per endpoint with the slice's own port.
        {
            "db.data.svc.clusterset.local", "A", "NOERROR",
            ["db.data.svc.clusterset.local. 5 IN A 10.1.1.1", "db.data.svc.clusterset.local. 5 IN A 10.1.1.2", "db.data.svc.clusterset.local. 5 IN A 10.2.1.1"],
            [], []
        },
        { "db.data.svc.clusterset.local", "AAAA", "NOERROR", [], [Soa], [] },
        {
            "_postgres._tcp.db.data.svc.clusterset.local", "SRV", "NOERROR",
            [
                "_postgres._tcp.db.data.svc.clusterset.local. 5 IN SRV 0 33 5432 db-0.cluster-a.db.data.svc.clusterset.local.",
                "_postgres._tcp.db.data.svc.clusterset.local. 5 IN SRV 0 33 5432 db-1.cluster-a.db.data.svc.clusterset.local.",
                "_postgres._tcp.db.data.svc.clusterset.local. 5 IN SRV 0 33 15432 db-0.cluster-b.eu.db.data.svc.clusterset.local.",
            ],
            [],
            [
                "db-0.cluster-a.db.data.svc.clusterset.local. 5 IN A 10.1.1.1",
                "db-1.cluster-a.db.data.svc.clusterset.local. 5 IN A 10.1.1.2",
                "db-0.cluster-b.eu.db.data.svc.clusterset.local. 5 IN A 10.2.1.1",
            ]
        },
        { "db-0.cluster-b.eu.db.data.svc.clusterset.local", "A", "NOERROR", ["db-0.cluster-b.eu.db.data.svc.clusterset.local. 5 IN A 10.2.1.1"], [], [] },
        { "db-2.cluster-a.db.data.svc.clusterset.local", "A", "NXDOMAIN", [], [Soa], [] },
        { "db-0.db.data.svc.clusterset.local", "A", "NXDOMAIN", [], [Soa], [] },
        { "empty.data.svc.clusterset.local", "A", "NXDOMAIN", [], [Soa], [] },

        // Names that exist with nothing of the type (NODATA) and names that do not (NXDOMAIN), SOA in Authority.
        { "quiet.svc.clusterset.local", "A", "NOERROR", [], [Soa], [] },
        { "data.svc.clusterset.local", "A", "NOERROR", [], [Soa], [] },
        { "svc.clusterset.local", "A", "NOERROR", [], [Soa], [] },
        { "nope.svc.clusterset.local", "A", "NXDOMAIN", [], [Soa], [] },
        { "nope.shop.svc.clusterset.local", "A", "NXDOMAIN", [], [Soa], [] },

        // The apex, our name server (the --listen address), the schema version.
        { "clusterset.local", "SOA", "NOERROR", [Soa], [], [] },
        { "clusterset.local", "NS", "NOERROR", ["clusterset.local. 5 IN NS ns.dns.clusterset.local."], [], ["ns.dns.clusterset.local. 5 IN A 127.0.0.1"] },
        { "ns.dns.clusterset.local", "A", "NOERROR", ["ns.dns.clusterset.local. 5 IN A 127.0.0.1"], [], [] },
        { "dns-version.clusterset.local", "TXT", "NOERROR", ["dns-version.clusterset.local. 28800 IN TXT \"1.0.0\""], [], [] },

        // Out of zone: REFUSED, no records, no recursion.
        { "example.com", "A", "REFUSED", [], [], [] },
        { "xclusterset.local", "A", "REFUSED", [], [], [] },
    };

    public static IEnumerable<object[]> RowsOverBothTransports() =>
        Rows.SelectMany(row => new[] { row.Prepend("udp").ToArray(), row.Prepend("tcp").ToArray() });

    [Theory]
    [MemberData(nameof(RowsOverBothTransports))]
    public async Task Query_ContractRow_AnswersAsSpecified(string transport, string name, string type, string status, string[] answer, string[] authority, string[] additional)
    {
        var result = transport == "tcp" ? await server.DigAsync(name, type, "+tcp") : await server.DigAsync(name, type);

        Assert.True(status == result.Status, $"expected {status}, got {result.Status}:\n{result}");
        Assert.Equal(transport.ToUpperInvariant(), result.Transport);
        // dig's whole output in the message: a section that differs once in a while needs it to be understood.
        Assert.True(Sorted(answer).SequenceEqual(Sorted(result.Answer)), $"answer section differs:\n{result}");
        Assert.True(Sorted(authority).SequenceEqual(Sorted(result.Authority)), $"authority section differs:\n{result}");
        Assert.True(Sorted(additional).SequenceEqual(Sorted(result.Additional)), $"additional section differs:\n{result}");
        Assert.Equal(status != "REFUSED", result.HasFlag("aa"));
        Assert.False(result.HasFlag("ra"), "a non-recursive server never sets RA");
        Assert.False(result.HasFlag("rd"), "RD is copied from the query, which had it clear (+norec)");
    }

    [Fact]
    public async Task Query_RecursionDesired_RdCopiedRaNotSet()
    {
        var result = await server.DigAsync("web.shop.svc.clusterset.local", "A", "+rec");

        Assert.Equal("NOERROR", result.Status);
        Assert.True(result.HasFlag("rd"), result.ToString());
        Assert.False(result.HasFlag("ra"), result.ToString());
    }

    private static string[] Sorted(IEnumerable<string> records) => [.. records.Order(StringComparer.Ordinal)];
}
