using DnsMcs.Dns;
using DnsMcs.Zone.Explain;
using static DnsMcs.Zone.Tests.ClusterSetFixture;

namespace DnsMcs.Zone.Tests.Explain;

/// <summary>
/// explain over the standard fixture: every row's rcode and records are the responder's own (read back with the
/// tests' independent parser), and the words name the objects, the rule, or the reason a name is negative.
/// </summary>
public sealed class NameExplainerTests
{
    private static readonly ClusterSetIndex Index = Standard();

    /// <summary>name, type, the rcode expected (null: whatever the responder says), and text the explanation must hold.</summary>
    public static TheoryData<string, DnsRecordType, DnsResponseCode?, string[]> Rows() => new()
    {
        // Positive: the objects and the rule behind each record.
        { "web.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, ["clusterset VIP from the ServiceImport's spec.ips", "ServiceImport shop/web spec.ips[0]: 10.96.0.10"] },
        { "db.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError,
            ["every ready endpoint address", "EndpointSlice data/db-a (cluster cluster-a) endpoints[0]: 10.1.1.1, hostname db-0, ready",
             "EndpointSlice data/db-b (cluster cluster-b.eu) endpoints[0]: 10.2.1.1", "left out, not ready: EndpointSlice data/db-a (cluster cluster-a) endpoints[2] 10.1.1.3"] },
        { "api.shop.svc.clusterset.local", DnsRecordType.AAAA, DnsResponseCode.NoError, ["ServiceImport shop/api spec.ips[1]: fd00::20"] },
        { "light.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError,
            ["ClusterSetIP without spec.ips", "EndpointSlice data/light-a (cluster cluster-a) endpoints[0]: 10.3.0.1", "EndpointSlice data/light-b (cluster cluster-b.eu)"] },
        { "DB-0.cluster-b.eu.db.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, ["hostname db-0 in cluster cluster-b.eu", "EndpointSlice data/db-b"] },
        { "fd00--1.cluster-a.v6.data.svc.clusterset.local", DnsRecordType.AAAA, DnsResponseCode.NoError, ["has no hostname, so its address names it (fd00--1)", "EndpointSlice data/v6-a (cluster cluster-a) endpoints[0]: fd00::1"] },
        { "_postgres._tcp.db.data.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError,
            ["weight floor(100/3) = 33", "EndpointSlice data/db-b (cluster cluster-b.eu) ports[0]: postgres TCP 15432", "hostname db-1 in cluster cluster-a"] },
        { "_grpc._tcp.api.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, ["weight floor(100/2) = 50", "ServiceImport shop/api spec.ports[0]: grpc TCP 9000"] },
        { "clusterset.local", DnsRecordType.SOA, DnsResponseCode.NoError, ["the zone's SOA"] },
        { "dns-version.clusterset.local", DnsRecordType.TXT, DnsResponseCode.NoError, ["schema version"] },

        // Negative: each reason at least once.
        { "web.nope.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["unknown namespace nope"] },
        { "nope.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["unknown service: no ServiceImport shop/nope"] },
        { "empty.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain,
            ["headless service with no ready endpoints", "EndpointSlice data/empty-a (cluster cluster-a) endpoints[0] 10.1.2.1, not ready (conditions.ready is false)"] },
        { "cluster-a.web.shop.svc.clusterset.local", DnsRecordType.A, null, ["per-cluster service name", "reserved by the MCS specification"] },
        { "eu.web.shop.svc.clusterset.local", DnsRecordType.A, null, ["per-cluster service name"] },
        { "cluster-b.eu.web.shop.svc.clusterset.local", DnsRecordType.A, null, ["per-cluster service name: cluster-b.eu.web"] },
        { "_8443._tcp.web.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NXDomain, ["port not named: port 8443 has no name"] },
        { "_http._udp.web.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NXDomain, ["port http is TCP, not UDP"] },
        { "_nope._tcp.web.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NXDomain, ["no port named nope/TCP", "unnamed TCP 8443"] },
        { "db-0.cluster-z.db.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["cluster id cluster-z is not among the service's slices", "cluster-a, cluster-b.eu"] },
        { "db-2.cluster-a.db.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["db-2 in cluster cluster-a is not ready", "endpoints[2]"] },
        { "db-9.cluster-a.db.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["no ready endpoint of cluster cluster-a is named db-9", "db-0, db-1"] },
        { "db-0.db.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["needs its cluster", "db-0.cluster-a.db.data.svc.clusterset.local"] },
        { "web.shop.svc.clusterset.local", DnsRecordType.AAAA, DnsResponseCode.NoError, ["holds no IPv6 address"] },
        { "web.shop.svc.clusterset.local", DnsRecordType.MX, DnsResponseCode.NoError, ["A, AAAA and SRV records only"] },
        { "shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, ["namespace shop exists", "empty non-terminal"] },
        { "quiet.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, ["namespace quiet exists (a Namespace object is known)"] },
        { "_tcp.web.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, ["empty non-terminal above"] },
        { "a.b.c.d.web.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["no such name below web.shop.svc"] },
        { "nothing.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, ["no such name"] },
        { "example.com", DnsRecordType.A, DnsResponseCode.Refused, ["outside the zone clusterset.local"] },
        { "clusterset.local", DnsRecordType.AXFR, DnsResponseCode.Refused, ["zone transfers"] },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Explain_Row_AnswersAsTheResponderAndSaysWhy(string name, DnsRecordType type, DnsResponseCode? rcode, string[] expected)
    {
        var explanation = new NameExplainer(Index).Explain(name, type);
        var served = Ask(Index, name, type, DnsTransport.Tcp);

        Assert.Equal(served.ResponseCode, explanation.ResponseCode);
        Assert.Equal(Lines(served.Answers), explanation.Answer.Select(r => r.Record.ToString()));
        Assert.Equal(Lines(served.Additionals), explanation.Additional.Select(r => r.Record.ToString()));
        Assert.Equal(Lines(served.Authorities), explanation.Authority.Select(r => r.ToString()));
        if (rcode is { } code)
        {
            Assert.Equal(code, explanation.ResponseCode);
        }

        Assert.Equal(explanation.Answer.Count == 0 || explanation.ResponseCode != DnsResponseCode.NoError, explanation.Reason is not null);
        var words = Words(explanation);
        foreach (var text in expected)
        {
            Assert.Contains(text, words, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Explain_EveryServiceRecord_NamesTheObjectsBehindIt()
    {
        foreach (var (name, type) in new[] { ("db.data.svc.clusterset.local", DnsRecordType.A), ("_postgres._tcp.db.data.svc.clusterset.local", DnsRecordType.SRV), ("light.data.svc.clusterset.local", DnsRecordType.A) })
        {
            var explanation = new NameExplainer(Index).Explain(name, type);
            Assert.NotEmpty(explanation.Answer);
            Assert.All(explanation.Answer.Concat(explanation.Additional), record => Assert.NotEmpty(record.From));
        }
    }

    [Fact]
    public void Explain_SourcesNotSynced_SaysWhichAndServesSoa()
    {
        var index = NewIndex();
        index.RegisterSource("kubernetes/serviceimports");
        index.RegisterSource("manifests");
        index.MarkSynced("manifests");

        index.PutService(Service("shop", "api", Model.ServiceType.ClusterSetIP, ["10.96.0.20"]));

        var explanation = new NameExplainer(index).Explain("web.shop.svc.clusterset.local", DnsRecordType.A);
        var positive = new NameExplainer(index).Explain("api.shop.svc.clusterset.local", DnsRecordType.A);

        Assert.Equal(DnsResponseCode.ServFail, explanation.ResponseCode);
        Assert.Contains("sources not synced: kubernetes/serviceimports", explanation.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("manifests", explanation.Reason, StringComparison.Ordinal);
        Assert.Equal(DnsResponseCode.NoError, positive.ResponseCode);
        Assert.Contains(positive.Notes, note => note.StartsWith("sources not synced yet (kubernetes/serviceimports)", StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_RejectedServiceImport_GivesTheFieldAndWhy()
    {
        var rejected = new FixedRejections(new RejectedObject("ServiceImport", "shop", "cart", "the manifest source at cart.yaml:9", "spec.ips[0] \"10.0.0.300\" is not an IP address"));

        var explanation = new NameExplainer(Index, rejected).Explain("cart.shop.svc.clusterset.local", DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NXDomain, explanation.ResponseCode);
        Assert.Equal("no ServiceImport shop/cart is served: ServiceImport shop/cart was rejected by the manifest source at cart.yaml:9: spec.ips[0] \"10.0.0.300\" is not an IP address", explanation.Reason);
    }

    [Fact]
    public void Explain_SlicesWithoutServiceImport_NamesTheOrphans()
    {
        var index = NewIndex();
        index.PutNamespace("shop");
        index.PutEndpointSlice(Slice("shop", "cart-a", "cart", "cluster-a", [Port("http", 80)], Ep("10.1.9.1")));

        var explanation = new NameExplainer(index).Explain("cart.shop.svc.clusterset.local", DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NXDomain, explanation.ResponseCode);
        Assert.Contains("there is no ServiceImport shop/cart", explanation.Reason, StringComparison.Ordinal);
        Assert.Contains("(cart-a)", explanation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_HeadlessWithoutSlices_SaysNoSliceIsLabelled()
    {
        var index = NewIndex();
        index.PutService(Service("data", "lonely", Model.ServiceType.Headless, [], Port("http", 80)));

        var explanation = new NameExplainer(index).Explain("lonely.data.svc.clusterset.local", DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NXDomain, explanation.ResponseCode);
        Assert.Contains("no EndpointSlice is labelled multicluster.kubernetes.io/service-name=lonely", explanation.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true, DnsRecordType.A)]
    [InlineData("", true, DnsRecordType.A)]
    [InlineData("srv", true, DnsRecordType.SRV)]
    [InlineData("TYPE65", true, (DnsRecordType)65)]
    [InlineData("28", true, DnsRecordType.AAAA)]
    [InlineData("OPT", false, DnsRecordType.A)]
    [InlineData("bogus", false, DnsRecordType.A)]
    [InlineData("70000", false, DnsRecordType.A)]
    public void TryParseType_Text_ParsesOrSaysWhy(string text, bool valid, DnsRecordType type)
    {
        Assert.Equal(valid, NameExplainer.TryParseType(text, out var parsed, out var error));
        Assert.Equal(valid, error is null);
        if (valid)
        {
            Assert.Equal(type, parsed);
        }
    }

    [Theory]
    [InlineData("web.shop.svc.clusterset.local", true)]
    [InlineData("web.shop.svc.clusterset.local.", true)]
    [InlineData("", false)]
    [InlineData("a..b", false)]
    public void TryCheckName_Text_AcceptsOnlyDomainNames(string text, bool valid) =>
        Assert.Equal(valid, NameExplainer.TryCheckName(text, out _));

    [Fact]
    public void TryCheckName_LabelOver63_IsRejected() =>
        Assert.False(NameExplainer.TryCheckName(new string('a', 64) + ".clusterset.local", out _));

    private static string Words(Explanation explanation) => string.Join(
        "\n",
        new[] { explanation.Reason ?? string.Empty }
            .Concat(explanation.Notes)
            .Concat(explanation.Answer.Concat(explanation.Additional).SelectMany(r => new[] { r.Rule }.Concat(r.From.Select(f => f.ToString())))));

    private sealed class FixedRejections(params RejectedObject[] rejected) : IRejectedObjects
    {
        public IReadOnlyList<RejectedObject> For(string @namespace, string service) =>
            [.. rejected.Where(r => r.Namespace == @namespace || r.Name == @namespace)];

        public IReadOnlyList<RejectedObject> All() => rejected;
    }
}
