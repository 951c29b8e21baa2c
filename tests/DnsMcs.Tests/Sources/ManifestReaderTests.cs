using System.Text;
using DnsMcs.Kubernetes.Yaml;
using DnsMcs.Sources;
using YamlDotNet.RepresentationModel;
using static DnsMcs.Tests.Sources.TranslatorFixtures;

namespace DnsMcs.Tests.Sources;

public sealed class ManifestReaderTests
{
    /// <summary>"Billion laughs": nine levels of ten aliases, 10^9 nodes once expanded; rejected, not expanded.</summary>
    private static readonly string AliasBomb =
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + string.Concat(Enumerable.Range(1, 8).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat("*" + (char)('a' + i - 1), 10))}]\n"))
        + "apiVersion: v1\nkind: Namespace\nmetadata: {name: bomb}\n";

    private const string Web = """
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceImport
        metadata:
          name: web
          namespace: shop
        spec:
          ips: ["10.42.0.10"]
          ports:
          - name: http
            port: 80
        """;

    [Fact]
    public void Read_MultiDocumentYaml_ReturnsEveryObjectWithItsLine()
    {
        var text = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            # a comment before the object
            apiVersion: multicluster.x-k8s.io/v1alpha1
            kind: ServiceImport
            metadata: {name: web, namespace: shop}
            ---
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-a
              namespace: shop
              labels:
                multicluster.kubernetes.io/service-name: web
                multicluster.kubernetes.io/source-cluster: cluster-a
            addressType: IPv4
            endpoints:
            - addresses: ["10.1.0.1"]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            ---
            """;

        var result = ManifestReader.Read("m/all.yaml", text);

        Assert.Empty(result.Errors);
        Assert.Equal(
            ["Namespace shop @1", "ServiceImport shop/web @7", "EndpointSlice shop/web-a @12"],
            result.Entries.Select(e => $"{e.Object.Key} @{e.Line}"));
        Assert.Equal("m/all.yaml:24: Deployment shop/web: kind Deployment is not served (only ServiceImport, EndpointSlice, Namespace, ClusterProperty)", Assert.Single(result.Ignored));
    }

    [Theory]
    [InlineData("List")]
    [InlineData("ServiceImportList")]
    public void Read_ListKinds_UnrollsItems(string listKind)
    {
        var text = $$"""
            apiVersion: v1
            kind: {{listKind}}
            items:
            - apiVersion: multicluster.x-k8s.io/v1beta1
              kind: ServiceImport
              metadata: {name: web, namespace: shop}
            - apiVersion: multicluster.x-k8s.io/v1beta1
              kind: ServiceImport
              metadata: {name: api, namespace: shop}
              spec: {type: Headless}
            """;

        var result = ManifestReader.Read("list.yaml", text);

        Assert.Empty(result.Errors);
        Assert.Equal(
            ["shop/web ClusterSetIP ips=[] ports=[] @4", "shop/api Headless ips=[] ports=[] @7"],
            result.Entries.Select(e => $"{Describe(e.Object)} @{e.Line}"));
    }

    [Fact]
    public void Read_JsonListWithTabs_ReadsLikeYaml()
    {
        var text = "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"List\",\n\t\"items\": [\n\t\t{\n\t\t\t\"apiVersion\": \"v1\", \"kind\": \"Namespace\",\n"
            + "\t\t\t\"metadata\": {\"name\": \"shop\"}\n\t\t},\n\t\t{\n\t\t\t\"apiVersion\": \"multicluster.x-k8s.io/v1alpha1\",\n\t\t\t\"kind\": \"ServiceImport\",\n"
            + "\t\t\t\"metadata\": {\"name\": \"web\", \"namespace\": \"shop\"},\n"
            + "\t\t\t\"spec\": {\"ips\": [\"fd00::10\"], \"ports\": [{\"name\": \"http\", \"protocol\": \"TCP\", \"port\": 80}, {\"port\": \"8080\"}]}\n\t\t}\n\t]\n}\n";

        var result = ManifestReader.Read("objects.json", text);

        Assert.Empty(result.Errors);
        Assert.Equal(
            ["Namespace shop @5", "shop/web ClusterSetIP ips=[fd00::10] ports=[http/TCP/80,-/TCP/8080] @9"],
            result.Entries.Select(e => $"{Describe(e.Object)} @{e.Line}"));
    }

    [Fact]
    public void Read_JsonWithLineErrorInside_NamesTheJsonLine()
    {
        var text = """
            {
              "apiVersion": "multicluster.x-k8s.io/v1alpha1",
              "kind": "ServiceImport",
              "metadata": {"name": "web", "namespace": "shop"},
              "spec": {
                "ips": [
                  "10.0.0.300"
                ]
              }
            }
            """;

        var result = ManifestReader.Read("web.json", text);

        Assert.Equal(["web.json:7: ServiceImport shop/web: spec.ips[0] \"10.0.0.300\" is not an IP address"], result.Errors.Select(e => e.ToString()));
    }

    public static TheoryData<string, string> FilesWithErrors => new()
    {
        {
            Web.Replace("[\"10.42.0.10\"]", "[\"10.42.0.10\", \"10.0.0.300\"]", StringComparison.Ordinal),
            "web.yaml:7: ServiceImport shop/web: spec.ips[1] \"10.0.0.300\" is not an IP address"
        },
        { Web.Replace("port: 80", "port: eighty", StringComparison.Ordinal), "web.yaml:10: ServiceImport shop/web: spec.ports[0].port must be an integer" },
        { Web.Replace("    port: 80", "    protocol: TCP", StringComparison.Ordinal), "web.yaml:9: ServiceImport shop/web: spec.ports[0].port 0 is out of range 1-65535" },
        { Web.Replace("name: http", "name: HTTP", StringComparison.Ordinal), "web.yaml:9: ServiceImport shop/web: spec.ports[0].name \"HTTP\" is not a valid port name (lowercase letters, digits and '-')" },
        { Web[..Web.IndexOf("spec:", StringComparison.Ordinal)] + "spec: 3\n", "web.yaml:6: ServiceImport shop/web: spec must be an object" },
        { Web.Replace("ips: [\"10.42.0.10\"]", "ips: [\"10.42.0.10\"", StringComparison.Ordinal), "web.yaml:7: malformed YAML at or after this line" },
        { Web.Replace("  name: web\n", "  name: web\n  name: web2\n", StringComparison.Ordinal), "web.yaml:5: " },
        { "kind: ServiceImport\nmetadata: {name: web, namespace: shop}\n", "web.yaml:1: ServiceImport shop/web: apiVersion and kind are required" },
        { "- just\n- a list\n", "web.yaml:1: expected an object (a mapping with apiVersion, kind and metadata)" },
        { Web.Replace("\n  ips:", "\n\tips:", StringComparison.Ordinal), "web.yaml:7: a tab in the indentation; YAML indents with spaces only" },
        { Web.Replace("\n    port: 80", "\n  \t port: 80", StringComparison.Ordinal), "web.yaml:10: a tab in the indentation" },
        { "apiVersion: v1\nkind: List\nitems: {}\n", "web.yaml:3: List: items must be a list" },
        {
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: shop}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: Data}\n",
            "web.yaml:9: Namespace Data: metadata.name \"Data\" is not a valid namespace name (a DNS label)"
        },
        {
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-a
              namespace: shop
              labels:
                multicluster.kubernetes.io/service-name: web
                multicluster.kubernetes.io/source-cluster: a.b.c
            addressType: IPv4
            """,
            "web.yaml:8: EndpointSlice shop/web-a: metadata.labels['multicluster.kubernetes.io/source-cluster'] \"a.b.c\" is not a valid cluster id: it has more than two labels (a cluster id is one DNS label, or two joined by a dot)"
        },
        {
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-a
              namespace: shop
              labels: {multicluster.kubernetes.io/service-name: web}
            addressType: IPv4
            endpoints:
            - addresses: [10.1.0.1]
              hostname: web-0
            - addresses:
              - 10.1.0.2
              - fd00::2
            """,
            "web.yaml:13: EndpointSlice shop/web-a: endpoints[1].addresses[1] \"fd00::2\" is not an IPv4 address, as the slice's addressType requires"
        },
        {
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-a
              namespace: shop
              labels: {multicluster.kubernetes.io/service-name: web}
            addressType: IPv4
            endpoints:
            - addresses: [10.1.0.1]
              conditions:
                ready: "false"
            """,
            "web.yaml:11: EndpointSlice shop/web-a: endpoints[0].conditions.ready must be true or false"
        },
        {
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-a
              namespace: shop
              labels: {multicluster.kubernetes.io/service-name: web}
            addressType: IPv4
            endpoints:
            - addresses: [10.1.0.1]
              hostname: 123
            """,
            "web.yaml:10: EndpointSlice shop/web-a: endpoints[0].hostname must be a string"
        },
    };

    [Theory]
    [MemberData(nameof(FilesWithErrors))]
    public void Read_InvalidContent_ErrorNamesPathLineAndObject(string text, string expectedPrefix)
    {
        var result = ManifestReader.Read("web.yaml", text);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(expectedPrefix, error.ToString(), StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Read_AliasBomb_RejectedWithoutExpanding()
    {
        var result = ManifestReader.Read("web.yaml", AliasBomb);

        var error = Assert.Single(result.Errors);
        Assert.Contains("YAML aliases expand to more than 100000 nodes", error.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("web.yaml:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AliasesReusedModestly_Accepted()
    {
        var text = "apiVersion: v1\nkind: List\nitems:\n- &ns {apiVersion: v1, kind: Namespace, metadata: {name: shop}}\n- *ns\n";

        var result = ManifestReader.Read("web.yaml", text);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Entries.Length);
    }

    [Fact]
    public void Read_OneBadObject_StillReportsTheGoodOnesAndEveryError()
    {
        var text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: Bad}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: good}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: Worse_}\n";

        var result = ManifestReader.Read("ns.yaml", text);

        Assert.Equal(["Namespace good"], result.Entries.Select(e => e.Object.Key.ToString()));
        Assert.Equal(["ns.yaml:3:", "ns.yaml:11:"], result.Errors.Select(e => $"{e.Path}:{e.Line}:"));
    }

    public static TheoryData<string, string> SkippedObjects => new()
    {
        { "apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceImprt\nmetadata: {name: web, namespace: shop}\n", "x.yaml:1: ServiceImprt shop/web: kind ServiceImprt is not served; did you mean ServiceImport?" },
        { "apiVersion: v1\nkind: namespace\nmetadata: {name: shop}\n", "x.yaml:1: namespace shop: kind namespace is not served; did you mean Namespace?" },
        { "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n", "x.yaml:1: Deployment shop/web: kind Deployment is not served (only ServiceImport, EndpointSlice, Namespace, ClusterProperty)" },
        {
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-a, namespace: shop}\naddressType: IPv4\n",
            "x.yaml:1: EndpointSlice shop/web-a: no multicluster.kubernetes.io/service-name label"
        },
        {
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-a\n  namespace: shop\n  labels: {multicluster.kubernetes.io/service-name: web}\naddressType: FQDN\n",
            "x.yaml:1: EndpointSlice shop/web-a: addressType FQDN has no addresses to serve"
        },
    };

    [Theory]
    [MemberData(nameof(SkippedObjects))]
    public void Read_ObjectNotServed_SkippedSayingWhy(string text, string expected)
    {
        var result = ManifestReader.Read("x.yaml", text);

        Assert.True(result.IsValid);
        Assert.Empty(result.Entries);
        Assert.Equal(expected, Assert.Single(result.Ignored));
    }

    [Fact]
    public void ReadFile_MissingFile_ReturnsErrorInsteadOfThrowing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dnsmcs-missing-{Guid.NewGuid():N}.yaml");

        var result = ManifestReader.ReadFile(path);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith($"{path}:0: cannot read the file", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: 80", "{\"a\":80}")]
    [InlineData("a: -3", "{\"a\":-3}")]
    [InlineData("a: +3", "{\"a\":3}")]
    [InlineData("a: 007", "{\"a\":7}")]
    [InlineData("a: 0x1F", "{\"a\":31}")]
    [InlineData("a: 0o17", "{\"a\":15}")]
    [InlineData("a: 1.5", "{\"a\":1.5}")]
    [InlineData("a: 1e3", "{\"a\":1000}")]
    [InlineData("a: \"80\"", "{\"a\":\"80\"}")]
    [InlineData("a: '80'", "{\"a\":\"80\"}")]
    [InlineData("a: !!str 80", "{\"a\":\"80\"}")]
    [InlineData("a: true", "{\"a\":true}")]
    [InlineData("a: False", "{\"a\":false}")]
    [InlineData("a: 'true'", "{\"a\":\"true\"}")]
    [InlineData("a: yes", "{\"a\":\"yes\"}")]
    [InlineData("a: off", "{\"a\":\"off\"}")]
    [InlineData("a: ~", "{\"a\":null}")]
    [InlineData("a: null", "{\"a\":null}")]
    [InlineData("a:", "{\"a\":null}")]
    [InlineData("a: 'null'", "{\"a\":\"null\"}")]
    [InlineData("a: .inf", "{\"a\":\".inf\"}")]
    [InlineData("a: 10.0.0.1", "{\"a\":\"10.0.0.1\"}")]
    [InlineData("a: fd00::1", "{\"a\":\"fd00::1\"}")]
    [InlineData("a: 1.2.3", "{\"a\":\"1.2.3\"}")]
    [InlineData("a: |\n  two\n  lines", "{\"a\":\"two\\nlines\"}")]
    [InlineData("a: [1, '2', x]", "{\"a\":[1,\"2\",\"x\"]}")]
    [InlineData("x: &v 5\ny: *v", "{\"x\":5,\"y\":5}")]
    public void YamlJsonWriterConvert_Scalars_FollowYamlCoreSchema(string yaml, string expectedJson)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));

        var json = YamlJsonWriter.Convert(stream.Documents[0].RootNode);

        Assert.Null(json.Error);
        Assert.Equal(expectedJson, Encoding.UTF8.GetString(json.Json));
    }

    [Fact]
    public void YamlJsonWriterConvert_NonScalarKey_FailsWithItsMark()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("a: 1\n? [x, y]\n: 2\n"));

        var json = YamlJsonWriter.Convert(stream.Documents[0].RootNode);

        Assert.Equal("a mapping key must be a plain string", json.Error);
        Assert.Equal(2, json.ErrorMark.Line);
    }
}
