using System.Text;
using DnsMcs.Dns;
using DnsMcs.Sources;
using DnsMcs.Tests.Kubernetes;
using DnsMcs.Zone.Faults;

namespace DnsMcs.Tests.Sources;

/// <summary>
/// Plausible hostile objects through the manifest source into a real index and responder: each row's files are
/// loaded, its questions asked (every answer decoded by our parser and by ARSoft.Tools.Net, see DnsProbe), and
/// then a healthy service added afterwards must be served: no object stops the index.
/// </summary>
public sealed class HostileManifestTests : IDisposable
{
    private static readonly string L63 = new('l', 63);
    private static readonly string N63 = new('n', 63);
    private static readonly string S63 = new('s', 63);
    private static readonly string H63 = new('h', 63);
    private static readonly string Cluster2 = $"{new string('c', 31)}.{new string('d', 31)}";

    private readonly string _dir = Directory.CreateTempSubdirectory("dnsmcs-hostile-").FullName;
    private readonly DnsProbe _dns = new();
    private readonly ListLogger<ManifestSource> _logger = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<HostileRow> Rows() =>
    [
        new(
            "long names everywhere (63-character namespace, service, hostnames, port; 31.31 cluster id)",
            [("long.yaml", Import(N63, S63, "Headless", [], (L63, 5432)) + "---\n" + Slice(N63, "long-a", S63, Cluster2, [(L63, 5432)], ("10.5.0.1", H63), ("10.5.0.2", "db-0")))],
            [
                new($"{S63}.{N63}.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 2),
                new($"{S63}.{N63}.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, 1),
                new($"db-0.{Cluster2}.{S63}.{N63}.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new($"{Cluster2}.{S63}.{N63}.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 0),
            ],
            [IndexRejectionReason.LabelTooLong, IndexRejectionReason.NameTooLong]),
        new(
            "a 63-character port name on a ClusterSetIP service",
            [("port.yaml", Import("shop", "web", "ClusterSetIP", ["10.96.0.10"], (L63, 80), ("http", 8080)) + "---\n" + Slice("shop", "web-a", "web", "cluster-a", [(L63, 80), ("http", 8080)], ("10.1.0.1", null)))],
            [
                new("web.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new("_http._tcp.web.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, 1),
                new("web.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, 2),
            ],
            [IndexRejectionReason.LabelTooLong]),
        new(
            "odd ports (0, 65535, 70000, -1, a string, lowercase and unknown protocols)",
            [
                ("p0.yaml", Import("shop", "p0", "ClusterSetIP", ["10.96.0.20"], ("zero", 0))),
                ("pmax.yaml", Import("shop", "pmax", "ClusterSetIP", ["10.96.0.21"], ("max", 65535))),
                ("pbig.yaml", Import("shop", "pbig", "ClusterSetIP", ["10.96.0.22"], ("big", 70000))),
                ("pneg.yaml", Import("shop", "pneg", "ClusterSetIP", ["10.96.0.23"], ("neg", -1))),
                ("pproto.yaml", Import("shop", "pproto", "ClusterSetIP", ["10.96.0.24"]).Replace("ports: []", "ports: [{name: dns, port: 53, protocol: udp}, {name: x, port: 1, protocol: QUIC}]", StringComparison.Ordinal)),
            ],
            [
                new("pmax.shop.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, 1),
                new("p0.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
                new("pbig.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
            ],
            []),
        new(
            "an FQDN slice and an orphan slice (no ServiceImport)",
            [
                ("fqdn.yaml", Import("shop", "ext", "ClusterSetIP", ["10.96.0.30"]) + "---\n" + Slice("shop", "ext-a", "ext", "cluster-a", [], ("db.example.com", null)).Replace("IPv4", "FQDN", StringComparison.Ordinal)),
                ("orphan.yaml", Slice("shop", "ghost-a", "ghost", "cluster-a", [("http", 80)], ("10.9.0.1", "ghost-0"))),
            ],
            [
                new("ext.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new("ghost.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
                new("ghost-0.cluster-a.ghost.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
            ],
            []),
        new(
            "invalid IPs (300th octet, IPv6 in an IPv4 slice, a zone id, empty)",
            [
                ("ips.yaml", Import("shop", "badip", "ClusterSetIP", ["10.0.0.300"])),
                ("mixed.yaml", Import("shop", "mixed", "Headless", []) + "---\n" + Slice("shop", "mixed-a", "mixed", "cluster-a", [], ("fd00::1", null))),
                ("zoneid.yaml", Import("shop", "zoneid", "Headless", []) + "---\n" + Slice("shop", "zoneid-a", "zoneid", "cluster-a", [], ("fe80::1%eth0", null)).Replace("IPv4", "IPv6", StringComparison.Ordinal)),
                ("empty.yaml", Import("shop", "emptyip", "ClusterSetIP", [""])),
            ],
            [
                new("badip.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
                new("mixed.shop.svc.clusterset.local", DnsRecordType.AAAA, DnsResponseCode.NXDomain, 0),
            ],
            []),
        new(
            "unknown types and kinds (type LoadBalancer, kind Foo, apiVersion v9, no kind)",
            [
                ("types.yaml", Import("shop", "lb", "LoadBalancer", ["10.96.0.40"])),
                ("kinds.yaml", "apiVersion: example.com/v1\nkind: Foo\nmetadata: {name: foo, namespace: shop}\nspec: {x: 1}\n"),
                ("version.yaml", Import("shop", "v9", "ClusterSetIP", ["10.96.0.41"]).Replace("v1alpha1", "v9", StringComparison.Ordinal)),
                ("nokind.yaml", "apiVersion: v1\nmetadata: {name: nokind}\n"),
            ],
            [new("lb.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0)],
            []),
        new(
            "a YAML alias bomb",
            [("bomb.yaml", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                + string.Concat(Enumerable.Range(1, 8).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat("*" + (char)('a' + i - 1), 10))}]\n"))
                + "apiVersion: v1\nkind: Namespace\nmetadata: {name: bomb}\n")],
            [new("bomb.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0)],
            []),
        new(
            "garbage files (binary, broken YAML, deep nesting, a JSON array, UTF-16, empty)",
            [
                ("binary.yaml", Encoding.Latin1.GetString([.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 256))])),
                ("broken.yaml", "apiVersion: v1\nkind: [Namespace\nmetadata: {name: broken\n"),
                ("deep.yaml", new string('[', 5000) + new string(']', 5000)),
                ("array.json", "[1, 2, {\"apiVersion\": 3}]"),
                ("utf16.yaml", Encoding.Unicode.GetString(Encoding.Unicode.GetPreamble()) + "apiVersion: v1\nkind: Namespace\nmetadata: {name: wide}\n"),
                ("empty.yaml", string.Empty),
            ],
            [new("broken.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0)],
            []),
        new(
            "thousands of endpoints (5000 in one headless service, 10000 behind a VIP-less service)",
            [
                ("many.yaml", Import("data", "many", "Headless", [], ("http", 80)) + "---\n"
                    + Slice("data", "many-a", "many", "cluster-a", [("http", 80)], [.. Enumerable.Range(0, 5000).Select(i => ($"10.20.{i / 250}.{(i % 250) + 1}", (string?)$"pod-{i}"))])),
                ("vipless.yaml", Import("data", "vipless", "ClusterSetIP", [], ("http", 80)) + "---\n"
                    + Slice("data", "vipless-a", "vipless", "cluster-a", [("http", 80)], [.. Enumerable.Range(0, 10000).Select(i => ($"10.{30 + (i / 65536)}.{i / 256 % 256}.{i % 256}", (string?)null))])),
            ],
            [
                new("pod-4999.cluster-a.many.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 1),
                new("many.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 4092), // as many as 65535 bytes hold
                new("_http._tcp.many.data.svc.clusterset.local", DnsRecordType.SRV, DnsResponseCode.NoError, -1),
                new("vipless.data.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NoError, 4092),
            ],
            [IndexRejectionReason.AnswerTooLarge]),
        new(
            "uppercase hostnames, a three-label cluster id, dotted and empty labels",
            [
                ("upper.yaml", Import("shop", "upper", "Headless", [], ("http", 80)) + "---\n" + Slice("shop", "upper-a", "upper", "cluster-a", [], ("10.40.0.1", "DB-0"))),
                ("three.yaml", Import("shop", "three", "Headless", []) + "---\n" + Slice("shop", "three-a", "three", "a.b.c", [], ("10.41.0.1", "x"))),
                ("dotted.yaml", Import("shop", "dot.ted", "ClusterSetIP", ["10.96.0.50"])),
            ],
            [
                new("upper.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
                new("x.a.b.c.three.shop.svc.clusterset.local", DnsRecordType.A, DnsResponseCode.NXDomain, 0),
            ],
            []),
    ];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Load_HostileFiles_IndexKeepsServingAndEveryAnswerDecodes(HostileRow row)
    {
        var reported = new List<IndexRejection>();
        _dns.Index.Rejected += (_, r) => reported.Add(r);
        using var source = new ManifestSource(new ManifestSourceOptions { Directory = _dir, PollInterval = TimeSpan.FromMinutes(10) }, _dns.Index, _logger);
        foreach (var (file, content) in row.Files)
        {
            File.WriteAllText(Path.Combine(_dir, file), content);
        }

        await source.StartAsync(CancellationToken.None); // the first load, then synced

        foreach (var check in row.Checks)
        {
            var reply = _dns.Ask(check.Name, check.Type);
            Assert.Equal(check.Rcode, reply.ResponseCode);
            if (check.Answers >= 0)
            {
                Assert.Equal(check.Answers, reply.Answers.Count);
            }
        }

        Assert.Equal(row.Reasons, reported.Select(r => r.Reason).Distinct().Order());

        // A healthy service added afterwards is served: nothing above stopped the index.
        File.WriteAllText(Path.Combine(_dir, "zz-healthy.yaml"),
            Import("later", "healthy", "ClusterSetIP", ["10.99.0.1"], ("http", 80)) + "---\n" + Slice("later", "healthy-a", "healthy", "cluster-a", [("http", 80)], ("10.99.1.1", null)));
        source.ReloadAll();
        Assert.Equal(["10.99.0.1"], _dns.Addresses("healthy.later.svc.clusterset.local"));
        Assert.Single(_dns.Ask("_http._tcp.healthy.later.svc.clusterset.local", DnsRecordType.SRV).Answers);
        Assert.Equal(["10.99.1.1"], _dns.Addresses("10-99-1-1.cluster-a.healthy.later.svc.clusterset.local"));
        await source.StopAsync(CancellationToken.None);
    }

    internal static string Import(string ns, string name, string type, string[] ips, params (string Name, int Port)[] ports) => $"""
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceImport
        metadata:
          name: "{name}"
          namespace: "{ns}"
        spec:
          type: {type}
          ips: [{string.Join(", ", ips.Select(ip => $"\"{ip}\""))}]
          ports: [{string.Join(", ", ports.Select(p => $"{{name: \"{p.Name}\", protocol: TCP, port: {p.Port}}}"))}]

        """;

    internal static string Slice(string ns, string name, string service, string cluster, (string Name, int Port)[] ports, params (string Address, string? Host)[] endpoints)
    {
        var text = new StringBuilder($"""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: "{name}"
              namespace: "{ns}"
              labels:
                multicluster.kubernetes.io/service-name: "{service}"
                multicluster.kubernetes.io/source-cluster: "{cluster}"
            addressType: IPv4
            ports: [{string.Join(", ", ports.Select(p => $"{{name: \"{p.Name}\", protocol: TCP, port: {p.Port}}}"))}]
            endpoints:

            """);
        foreach (var (address, host) in endpoints)
        {
            text.Append("- addresses: [\"").Append(address).Append("\"]\n");
            if (host is not null)
            {
                text.Append("  hostname: \"").Append(host).Append("\"\n");
            }
        }

        return text.ToString();
    }

    public sealed record Check(string Name, DnsRecordType Type, DnsResponseCode Rcode, int Answers);

    public sealed record HostileRow(string Description, (string File, string Content)[] Files, Check[] Checks, IndexRejectionReason[] Reasons)
    {
        public override string ToString() => Description;
    }
}
