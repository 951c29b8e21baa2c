using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Zone.Model;

namespace DnsMcs.Zone.Tests;

/// <summary>
/// A small clusterset in memory, and helpers to query it through the real responder and read the
/// answer back with our wire parser and ARSoft.Tools.Net (DnsOracle), which must agree. The clock is fixed so the SOA serial is known: 1700000000.
/// </summary>
internal static class ClusterSetFixture
{
    public const uint Serial = 1_700_000_000;

    public const string Soa = "clusterset.local. 5 IN SOA ns.dns.clusterset.local. hostmaster.clusterset.local. 1700000000 7200 1800 86400 5";

    public static ClusterSetIndex NewIndex(uint ttl = 5, string zone = "clusterset.local") =>
        new(new ZoneOptions { Zone = zone, Ttl = ttl, NameServerAddresses = [IPAddress.Parse("10.0.0.53"), IPAddress.Parse("fd00::53")] }, new FixedTime());

    /// <summary>
    /// shop/web    ClusterSetIP 10.96.0.10, ports http 80, metrics 9090, an unnamed 8443; endpoints in cluster-a and cluster-b.eu
    /// shop/api    ClusterSetIP dual-stack 10.96.0.20 + fd00::20, port grpc 9000; no endpoints
    /// data/db     Headless, port postgres 5432; db-0, db-1 (ready), db-2 (not ready) in cluster-a; db-0 in cluster-b.eu listening on 15432
    /// data/empty  Headless, one endpoint, not ready
    /// data/light  ClusterSetIP without spec.ips (answers from slice addresses), port http 80
    /// data/v6     Headless IPv6 endpoints without hostnames
    /// Namespaces: shop, data, quiet (no service).
    /// </summary>
    public static ClusterSetIndex Standard()
    {
        var index = NewIndex();
        using (index.Batch())
        {
            index.PutNamespace("shop");
            index.PutNamespace("data");
            index.PutNamespace("quiet");

            index.PutService(Service("shop", "web", ServiceType.ClusterSetIP, ["10.96.0.10"], Port("http", 80), Port("metrics", 9090), Port(null, 8443)));
            index.PutEndpointSlice(Slice("shop", "web-a", "web", "cluster-a", [Port("http", 8080), Port("metrics", 9090)], Ep("10.1.0.1"), Ep("10.1.0.2", ready: false)));
            index.PutEndpointSlice(Slice("shop", "web-b", "web", "cluster-b.eu", [Port("http", 8080)], Ep("10.2.0.1")));

            index.PutService(Service("shop", "api", ServiceType.ClusterSetIP, ["10.96.0.20", "fd00::20"], Port("grpc", 9000)));

            index.PutService(Service("data", "db", ServiceType.Headless, [], Port("postgres", 5432)));
            index.PutEndpointSlice(Slice("data", "db-a", "db", "cluster-a", [Port("postgres", 5432)], Ep("10.1.1.1", "db-0"), Ep("10.1.1.2", "db-1"), Ep("10.1.1.3", "db-2", ready: false)));
            index.PutEndpointSlice(Slice("data", "db-b", "db", "cluster-b.eu", [Port("postgres", 15432)], Ep("10.2.1.1", "db-0")));

            index.PutService(Service("data", "empty", ServiceType.Headless, [], Port("http", 80)));
            index.PutEndpointSlice(Slice("data", "empty-a", "empty", "cluster-a", [Port("http", 80)], Ep("10.1.2.1", ready: false)));

            index.PutService(Service("data", "light", ServiceType.ClusterSetIP, [], Port("http", 80)));
            index.PutEndpointSlice(Slice("data", "light-a", "light", "cluster-a", [Port("http", 80)], Ep("10.3.0.1")));
            index.PutEndpointSlice(Slice("data", "light-b", "light", "cluster-b.eu", [Port("http", 80)], Ep("10.4.0.1")));

            index.PutService(Service("data", "v6", ServiceType.Headless, [], Port("http", 80)));
            index.PutEndpointSlice(Slice("data", "v6-a", "v6", "cluster-a", [Port("http", 80)], Ep("fd00::1"), Ep("2001:db8::")));
        }

        return index;
    }

    public static ServiceInfo Service(string ns, string name, ServiceType type, string[] ips, params PortInfo[] ports) =>
        new(ns, name, type, [.. ips.Select(IPAddress.Parse)], [.. ports]);

    public static PortInfo Port(string? name, ushort port, string protocol = "TCP") => new(name, protocol, port);

    public static EndpointInfo Ep(string address, string? hostname = null, bool ready = true) =>
        new([IPAddress.Parse(address)], hostname, ready);

    public static EndpointSliceInfo Slice(string ns, string name, string service, string? cluster, PortInfo[] ports, params EndpointInfo[] endpoints)
    {
        var family = endpoints.Length > 0 ? endpoints[0].Addresses[0].AddressFamily : AddressFamily.InterNetwork;
        return new EndpointSliceInfo(ns, name, service, cluster, family, [.. ports], [.. endpoints]);
    }

    public static byte[] Query(string name, DnsRecordType type, bool edns = false, ushort udpSize = 1232, ushort id = 0x4242) =>
        DnsMessage.CreateQuery(name, type, id, edns, udpSize).ToWire();

    public static DnsMessage Ask(ClusterSetIndex index, string name, DnsRecordType type, DnsTransport transport = DnsTransport.Udp, bool edns = false, ushort udpSize = 1232) =>
        Ask(new DnsResponder(index), Query(name, type, edns, udpSize), transport);

    public static DnsMessage Ask(DnsResponder responder, byte[] query, DnsTransport transport = DnsTransport.Udp)
    {
        var buffer = new byte[65535];
        var response = responder.Respond(query, buffer, transport);
        Assert.True(response.Length > 0, "the responder dropped the query");
        return DnsOracle.Decode(buffer.AsSpan(0, response.Length));
    }

    public static string[] Lines(IEnumerable<DnsRecord> records) => [.. records.Select(r => r.ToString())];

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Serial);
    }
}
