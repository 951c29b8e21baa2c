using DnsMcs.Dns;
using static DnsMcs.Zone.Tests.ClusterSetFixture;

namespace DnsMcs.Zone.Tests;

/// <summary>
/// Every row of the clusterset.local contract (MCS-DNS.md) against the standard fixture: question in,
/// rcode and the three sections out, records written as zone-file text (as CoreDNS's handler tests do).
/// </summary>
public sealed class ResponderTableTests
{
    private static readonly ClusterSetIndex Index = Standard();

    public static TheoryData<Case> Cases() =>
    [
        // ClusterSetIP: the VIP, even with no endpoints; the question's spelling is repeated.
        new("web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]),
        new("WEB.Shop.svc.ClusterSet.LOCAL.", DnsRecordType.A, DnsResponseCode.NoError, ["WEB.Shop.svc.ClusterSet.LOCAL. 5 IN A 10.96.0.10"]),
        new("web.shop.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, [], [Soa]),
        new("web.shop.svc.clusterset.local.", DnsRecordType.MX, DnsResponseCode.NoError, [], [Soa]),
        new("api.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, ["api.shop.svc.clusterset.local. 5 IN A 10.96.0.20"]),
        new("api.shop.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, ["api.shop.svc.clusterset.local. 5 IN AAAA fd00::20"]),

        // SRV on _port._proto: one record for ClusterSetIP, weight floor(100/N) over (address, port) tuples.
        new("_http._tcp.web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError,
            ["_http._tcp.web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local."],
            [],
            ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]),
        new("_HTTP._TCP.web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError,
            ["_HTTP._TCP.web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local."],
            [],
            ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]),
        new("_grpc._tcp.api.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError,
            ["_grpc._tcp.api.shop.svc.clusterset.local. 5 IN SRV 0 50 9000 api.shop.svc.clusterset.local."],
            [],
            ["api.shop.svc.clusterset.local. 5 IN A 10.96.0.20", "api.shop.svc.clusterset.local. 5 IN AAAA fd00::20"]),

        // SRV on the service name: every named port, the unnamed one left out.
        new("web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError,
            [
                "web.shop.svc.clusterset.local. 5 IN SRV 0 50 80 web.shop.svc.clusterset.local.",
                "web.shop.svc.clusterset.local. 5 IN SRV 0 50 9090 web.shop.svc.clusterset.local.",
            ],
            [],
            ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]),
        new("_metrics._udp.web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NXDomain, [], [Soa]),
        new("_udp.web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NXDomain, [], [Soa]),
        new("_tcp.web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError, [], [Soa]),
        new("_http._tcp.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),

        // Per-endpoint names work for ClusterSetIP services too; the host is derived from the address.
        new("10-1-0-1.cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, ["10-1-0-1.cluster-a.web.shop.svc.clusterset.local. 5 IN A 10.1.0.1"]),
        new("10-2-0-1.cluster-b.eu.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, ["10-2-0-1.cluster-b.eu.web.shop.svc.clusterset.local. 5 IN A 10.2.0.1"]),
        new("10-1-0-1.cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, [], [Soa]),
        new("10-1-0-2.cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("10-2-0-1.cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),

        // The specification forbids per-cluster service names: <cluster>.<svc>... has no record of any type. It
        // exists (NODATA) above per-endpoint names, and so does b.<svc>... for a cluster a.b (RFC 8020).
        new("cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, [], [Soa]),
        new("cluster-a.web.shop.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError, [], [Soa]),
        new("Cluster-A.web.shop.svc.clusterset.local.", DnsRecordType.ANY, DnsResponseCode.NoError, [], [Soa]),
        new("cluster-b.eu.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("eu.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("cluster-a.db.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("eu.db.data.svc.clusterset.local.", DnsRecordType.TXT, DnsResponseCode.NoError, [], [Soa]),
        new("cluster-c.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("cluster-a.api.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("cluster-a.empty.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("x.eu.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("10-1-0-1.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),

        // Headless: every ready address from every cluster; SRV per endpoint with the slice's own port.
        new("db.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError,
            [
                "db.data.svc.clusterset.local. 5 IN A 10.1.1.1",
                "db.data.svc.clusterset.local. 5 IN A 10.1.1.2",
                "db.data.svc.clusterset.local. 5 IN A 10.2.1.1",
            ]),
        new("db.data.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, [], [Soa]),
        new("_postgres._tcp.db.data.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError,
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
            ]),
        new("db-0.cluster-b.eu.db.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, ["db-0.cluster-b.eu.db.data.svc.clusterset.local. 5 IN A 10.2.1.1"]),
        new("DB-1.Cluster-A.db.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, ["DB-1.Cluster-A.db.data.svc.clusterset.local. 5 IN A 10.1.1.2"]),
        new("db-2.cluster-a.db.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("db-0.db.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),

        // A headless service with no ready endpoint does not exist (the specification says NXDOMAIN).
        new("empty.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("_http._tcp.empty.data.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NXDomain, [], [Soa]),

        // ClusterSetIP without spec.ips: the slices' ready addresses stand in.
        new("light.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError,
            ["light.data.svc.clusterset.local. 5 IN A 10.3.0.1", "light.data.svc.clusterset.local. 5 IN A 10.4.0.1"]),
        new("_http._tcp.light.data.svc.clusterset.local.", DnsRecordType.SRV, DnsResponseCode.NoError,
            ["_http._tcp.light.data.svc.clusterset.local. 5 IN SRV 0 50 80 light.data.svc.clusterset.local."],
            [],
            ["light.data.svc.clusterset.local. 5 IN A 10.3.0.1", "light.data.svc.clusterset.local. 5 IN A 10.4.0.1"]),

        // IPv6 endpoints without hostnames: labels from the address, never starting or ending with '-'.
        new("v6.data.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError,
            ["v6.data.svc.clusterset.local. 5 IN AAAA fd00::1", "v6.data.svc.clusterset.local. 5 IN AAAA 2001:db8::"]),
        new("fd00--1.cluster-a.v6.data.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, ["fd00--1.cluster-a.v6.data.svc.clusterset.local. 5 IN AAAA fd00::1"]),
        new("2001-db8--0.cluster-a.v6.data.svc.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, ["2001-db8--0.cluster-a.v6.data.svc.clusterset.local. 5 IN AAAA 2001:db8::"]),
        new("v6.data.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),

        // Namespaces and empty non-terminals: NODATA where the name exists (RFC 8020), NXDOMAIN where not.
        new("quiet.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("nope.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("web.nope.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("nope.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("pod.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("dns.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("other.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),
        new("a.b.c.d.e.f.web.shop.svc.clusterset.local.", DnsRecordType.A, DnsResponseCode.NXDomain, [], [Soa]),

        // The apex, the name server and the schema version.
        new("clusterset.local.", DnsRecordType.SOA, DnsResponseCode.NoError, [Soa]),
        new("CLUSTERSET.local.", DnsRecordType.SOA, DnsResponseCode.NoError,
            ["CLUSTERSET.local. 5 IN SOA ns.dns.CLUSTERSET.local. hostmaster.CLUSTERSET.local. 1700000000 7200 1800 86400 5"]),
        new("clusterset.local.", DnsRecordType.NS, DnsResponseCode.NoError,
            ["clusterset.local. 5 IN NS ns.dns.clusterset.local."],
            [],
            ["ns.dns.clusterset.local. 5 IN A 10.0.0.53", "ns.dns.clusterset.local. 5 IN AAAA fd00::53"]),
        new("clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, [], [Soa]),
        new("ns.dns.clusterset.local.", DnsRecordType.A, DnsResponseCode.NoError, ["ns.dns.clusterset.local. 5 IN A 10.0.0.53"]),
        new("ns.dns.clusterset.local.", DnsRecordType.AAAA, DnsResponseCode.NoError, ["ns.dns.clusterset.local. 5 IN AAAA fd00::53"]),
        new("dns-version.clusterset.local.", DnsRecordType.TXT, DnsResponseCode.NoError, ["dns-version.clusterset.local. 28800 IN TXT \"1.0.0\""]),

        // ANY gets one RRset (RFC 8482).
        new("web.shop.svc.clusterset.local.", DnsRecordType.ANY, DnsResponseCode.NoError, ["web.shop.svc.clusterset.local. 5 IN A 10.96.0.10"]),
        new("clusterset.local.", DnsRecordType.ANY, DnsResponseCode.NoError, [Soa]),

        // Out of zone: REFUSED, nothing else; a suffix match inside a label is not in the zone.
        new("example.com.", DnsRecordType.A, DnsResponseCode.Refused, []),
        new("xclusterset.local.", DnsRecordType.A, DnsResponseCode.Refused, []),
        new("local.", DnsRecordType.SOA, DnsResponseCode.Refused, []),
        new(".", DnsRecordType.NS, DnsResponseCode.Refused, []),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Respond_ContractRow_MatchesExpectedSections(Case row)
    {
        foreach (var transport in new[] { DnsTransport.Udp, DnsTransport.Tcp })
        {
            var reply = Ask(Index, row.Name, row.Type, transport);

            Assert.True(reply.IsResponse);
            Assert.Equal(row.Rcode, reply.ResponseCode);
            Assert.Equal(row.Rcode != DnsResponseCode.Refused, reply.Authoritative);
            Assert.False(reply.Truncated);
            Assert.False(reply.RecursionAvailable);
            Assert.Equal(0x4242, reply.Id);
            var question = Assert.Single(reply.Questions);
            Assert.Equal(row.Name, question.Name);
            Assert.Equal(row.Type, question.Type);
            Assert.Equal(row.Answer.Order(StringComparer.Ordinal), Lines(reply.Answers).Order(StringComparer.Ordinal));
            Assert.Equal(row.Authority.Order(StringComparer.Ordinal), Lines(reply.Authorities).Order(StringComparer.Ordinal));
            Assert.Equal(row.Additional.Order(StringComparer.Ordinal), Lines(reply.Additionals).Order(StringComparer.Ordinal));
            Assert.Null(reply.Opt);
        }
    }

    public sealed record Case(string Name, DnsRecordType Type, DnsResponseCode Rcode, string[] Answer, string[]? AuthoritySection = null, string[]? AdditionalSection = null)
    {
        public string[] Authority => AuthoritySection ?? [];

        public string[] Additional => AdditionalSection ?? [];

        public override string ToString() => $"{Name} {Type}";
    }
}
