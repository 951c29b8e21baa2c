using System.Text.Json.Nodes;
using DnsMcs.Dns;
using DnsMcs.FakeKubeApi;
using DnsMcs.Sources.Kubernetes;
using DnsMcs.Zone.Faults;
using static DnsMcs.Tests.Kubernetes.KubeObjects;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>
/// Hostile objects that a real API server accepts (63-character names and port names, label values that are no
/// cluster ids, FQDN and orphan slices, slices of 1000 endpoints) through the Kubernetes source into a real index:
/// after each row's objects are listed, a healthy service created later must be served, and every answer decodes
/// with both decoders (DnsProbe).
/// </summary>
public sealed class HostileKubernetesObjectTests : IAsyncLifetime
{
    private static readonly string L63 = new('l', 63);
    private static readonly string N63 = new('n', 63);
    private static readonly string S63 = new('s', 63);
    private static readonly string H63 = new('h', 63);
    private static readonly string Cluster2 = $"{new string('c', 31)}.{new string('d', 31)}";

    private readonly DnsProbe _dns = new();
    private readonly RecordingLoggers _logs = new();
    private FakeCluster _cluster = null!;
    private KubernetesSource? _source;

    private FakeObjectStore Store => _cluster.Server.Store;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }

        await _cluster.DisposeAsync();
        _logs.Dispose();
    }

    public static TheoryData<KubeRow> Rows() =>
    [
        new(
            "long names everywhere (63-character namespace, service, hostname and port name; a 31.31 cluster id)",
            [
                (FakeResource.Namespaces, Namespace(N63)),
                (FakeResource.ServiceImportsV1Alpha1, Import(N63, S63, "Headless", [], (L63, 5432))),
                (FakeResource.EndpointSlices, Slice(N63, "long-a", S63, Cluster2, [(L63, 5432)], ("10.5.0.1", H63), ("10.5.0.2", "db-0"))),
            ],
            [
                new($"{S63}.{N63}.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 2),
                new($"{S63}.{N63}.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, 1),
                new($"db-0.{Cluster2}.{S63}.{N63}.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
            ],
            [IndexRejectionReason.LabelTooLong, IndexRejectionReason.NameTooLong]),
        new(
            "a 63-character port name on a ClusterSetIP service (the zone froze on this)",
            [
                (FakeResource.ServiceImportsV1Alpha1, Import("shop", "web", "ClusterSetIP", ["10.96.0.10"], (L63, 80), ("http", 8080))),
                (FakeResource.EndpointSlices, Slice("shop", "web-a", "web", "cluster-a", [(L63, 80), ("http", 8080)], ("10.1.0.1", null))),
            ],
            [
                new("web.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new("_http._tcp.web.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, 1),
                new("10-1-0-1.cluster-a.web.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
            ],
            [IndexRejectionReason.LabelTooLong]),
        new(
            "odd ports (65535, an unnamed port, the same name for TCP and UDP)",
            [(FakeResource.ServiceImportsV1Alpha1, Import("shop", "odd", "ClusterSetIP", ["10.96.0.20"], ("max", 65535), ("", 1)))],
            [new("odd.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, 1)],
            []),
        new(
            "an FQDN slice and an orphan slice",
            [
                (FakeResource.ServiceImportsV1Alpha1, Import("shop", "ext", "ClusterSetIP", ["10.96.0.30"])),
                (FakeResource.EndpointSlices, WithAddressType(Slice("shop", "ext-a", "ext", "cluster-a", [], ("db.example.com", null)), "FQDN")),
                (FakeResource.EndpointSlices, Slice("shop", "ghost-a", "ghost", "cluster-a", [("http", 80)], ("10.9.0.1", "ghost-0"))),
            ],
            [
                new("ext.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new("ghost.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
            ],
            []),
        new(
            "label values that are no cluster ids (a.b.c, Cluster_A) and an uppercase-free but 63-character one",
            [
                (FakeResource.ServiceImportsV1Alpha1, Import("shop", "labels", "Headless", [])),
                (FakeResource.EndpointSlices, Slice("shop", "labels-a", "labels", "a.b.c", [], ("10.41.0.1", "x"))),
                (FakeResource.EndpointSlices, Slice("shop", "labels-b", "labels", "Cluster_A", [], ("10.41.0.2", "y"))),
                (FakeResource.EndpointSlices, Slice("shop", "labels-c", "labels", L63, [], ("10.41.0.3", "z"))),
            ],
            [
                new("labels.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new($"z.{L63}.labels.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new("x.a.b.c.labels.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
            ],
            []),
        new(
            "thousands of endpoints (five slices of 1000)",
            [
                (FakeResource.ServiceImportsV1Alpha1, Import("data", "many", "Headless", [], ("http", 80))),
                .. Enumerable.Range(0, 5).Select(s => (FakeResource.EndpointSlices,
                    Slice("data", $"many-{s}", "many", "cluster-a", [("http", 80)], [.. Enumerable.Range(0, 1000).Select(i => ($"10.{20 + s}.{i / 250}.{(i % 250) + 1}", (string?)$"pod-{s}-{i}"))]))),
            ],
            [
                new("pod-4-999.cluster-a.many.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new("many.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 4092),
            ],
            [IndexRejectionReason.AnswerTooLarge]),
    ];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task List_HostileObjects_IndexKeepsServingAndEveryAnswerDecodes(KubeRow row)
    {
        var reported = new List<IndexRejection>();
        _dns.Index.Rejected += (_, r) => reported.Add(r);
        // As on a real server, objects live in namespaces that exist.
        foreach (var (resource, obj) in row.Objects)
        {
            if (obj["metadata"]?["namespace"]?.GetValue<string>() is { } ns)
            {
                Store.EnsureNamespace(ns);
            }

            Store.Create(resource, obj);
        }

        _source = new KubernetesSource(new KubernetesSourceOptions { Kubeconfig = _cluster.Kubeconfig }, _dns.Index, _logs.Factory, _ => { });
        await _source.StartAsync(CancellationToken.None);
        await DnsProbe.UntilAsync(() => _dns.Index.IsSynced, () => $"the index to sync; pending: {string.Join(", ", _dns.Index.PendingSources())}");

        foreach (var check in row.Checks)
        {
            var reply = _dns.Ask(check.Name, check.Type);
            Assert.Equal(check.Rcode, reply.ResponseCode);
            Assert.Equal(check.Answers, reply.Answers.Count);
        }

        Assert.Equal(row.Reasons, reported.Select(r => r.Reason).Distinct().Order());

        // A healthy service created afterwards (through the watch) is served.
        Store.EnsureNamespace("later");
        Store.Create(FakeResource.ServiceImportsV1Alpha1, Import("later", "healthy", "ClusterSetIP", ["10.99.0.1"], ("http", 80)));
        Store.Create(FakeResource.EndpointSlices, Slice("later", "healthy-a", "healthy", "cluster-a", [("http", 80)], ("10.99.1.1", null)));
        await _dns.UntilAddressesAsync("10-99-1-1.cluster-a.healthy.later.svc.clusterset.local", "10.99.1.1");
        Assert.Equal(["10.99.0.1"], _dns.Addresses("healthy.later.svc.clusterset.local"));
        Assert.Single(_dns.Ask("_http._tcp.healthy.later.svc.clusterset.local", DnsRecordType.SRV).Answers);
    }

    private static JsonObject Import(string ns, string name, string type, string[] ips, params (string Name, int Port)[] ports)
    {
        var import = ServiceImport(name, ips, type, ns);
        import["spec"]!["ports"] = new JsonArray([.. ports.Select(p => (JsonNode?)PortJson(p))]);
        return import;
    }

    private static JsonObject Slice(string ns, string name, string service, string cluster, (string Name, int Port)[] ports, params (string Address, string? Host)[] endpoints)
    {
        var slice = McsSlice(name, service, cluster, [.. endpoints.Select(e => Ep(e.Address, e.Host))]);
        slice["metadata"]!["namespace"] = ns;
        slice["ports"] = new JsonArray([.. ports.Select(p => (JsonNode?)PortJson(p))]);
        return slice;
    }

    private static JsonObject PortJson((string Name, int Port) port)
    {
        var json = new JsonObject { ["protocol"] = "TCP", ["port"] = port.Port };
        if (port.Name.Length > 0)
        {
            json["name"] = port.Name;
        }

        return json;
    }

    private static JsonObject WithAddressType(JsonObject slice, string addressType)
    {
        slice["addressType"] = addressType;
        return slice;
    }

    public sealed record Check(string Name, DnsRecordType Type, DnsResponseCode Rcode, int Answers);

    public sealed record KubeRow(string Description, (FakeResource Resource, JsonObject Object)[] Objects, Check[] Checks, IndexRejectionReason[] Reasons)
    {
        public override string ToString() => Description;
    }
}
