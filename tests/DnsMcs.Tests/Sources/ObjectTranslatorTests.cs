using DnsMcs.Kubernetes.Models;
using DnsMcs.Sources;
using static DnsMcs.Tests.Sources.TranslatorFixtures;

namespace DnsMcs.Tests.Sources;

public sealed class ObjectTranslatorTests
{
    public static TheoryData<string, string, string> GoodObjects => new()
    {
        {
            "ClusterSetIP without spec",
            "ServiceImport|{'apiVersion':'multicluster.x-k8s.io/v1alpha1','kind':'ServiceImport','metadata':{'name':'web','namespace':'shop'}}",
            "shop/web ClusterSetIP ips=[] ports=[]"
        },
        {
            "dual-stack VIPs canonicalised, ports defaulted to TCP, an unnamed port",
            "ServiceImport|{'apiVersion':'multicluster.x-k8s.io/v1alpha1','kind':'ServiceImport','metadata':{'name':'web','namespace':'shop'},"
                + "'spec':{'type':'ClusterSetIP','ips':['10.42.0.10','FD00:0:0::0A'],'ports':[{'name':'http','port':80},{'name':'dns','protocol':'UDP','port':53},{'port':8443}]}}",
            "shop/web ClusterSetIP ips=[10.42.0.10,fd00::a] ports=[http/TCP/80,dns/UDP/53,-/TCP/8443]"
        },
        {
            "v1beta1 Headless with SCTP",
            "ServiceImport|{'apiVersion':'multicluster.x-k8s.io/v1beta1','kind':'ServiceImport','metadata':{'name':'db','namespace':'data'},"
                + "'spec':{'type':'Headless','ports':[{'name':'postgres','protocol':'SCTP','port':5432}]}}",
            "data/db Headless ips=[] ports=[postgres/SCTP/5432]"
        },
        {
            "IPv4-mapped IPv6 stays IPv6",
            "ServiceImport|{'apiVersion':'multicluster.x-k8s.io/v1alpha1','kind':'ServiceImport','metadata':{'name':'web','namespace':'shop'},'spec':{'ips':['::ffff:10.0.0.1']}}",
            "shop/web ClusterSetIP ips=[::ffff:10.0.0.1] ports=[]"
        },
        {
            "local slice: no source-cluster, readiness defaults to ready, nameless port, port without number skipped",
            "EndpointSlice|{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':{'name':'web-a','namespace':'shop','labels':{'multicluster.kubernetes.io/service-name':'web'}},"
                + "'addressType':'IPv4','endpoints':[{'addresses':['10.1.0.1']},{'addresses':['10.1.0.2'],'conditions':{'ready':false}},{'addresses':['10.1.0.3'],'conditions':{'ready':true,'serving':true}}],"
                + "'ports':[{'port':8080},{'name':'metrics','port':9090,'protocol':'TCP'},{'name':'all'}]}",
            "shop/web-a svc=web cluster=(local) InterNetwork ports=[-/TCP/8080,metrics/TCP/9090] endpoints=[10.1.0.1 - ready;10.1.0.2 - not-ready;10.1.0.3 - ready]"
        },
        {
            "IPv6 slice from a two-label cluster id with hostnames",
            "EndpointSlice|{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':{'name':'db-b','namespace':'data','labels':{'multicluster.kubernetes.io/service-name':'db',"
                + "'multicluster.kubernetes.io/source-cluster':'cluster-b.eu'}},'addressType':'IPv6','endpoints':[{'addresses':['FD00:B::5'],'hostname':'db-0'}],'ports':[{'name':'postgres','port':5432}]}",
            "data/db-b svc=db cluster=cluster-b.eu InterNetworkV6 ports=[postgres/TCP/5432] endpoints=[fd00:b::5 db-0 ready]"
        },
        {
            "namespace",
            "Namespace|{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'shop'}}",
            "Namespace shop"
        },
        {
            "local cluster id",
            "ClusterProperty|{'apiVersion':'about.k8s.io/v1alpha1','kind':'ClusterProperty','metadata':{'name':'id.k8s.io'},'spec':{'value':'cluster-a'}}",
            "LocalClusterId cluster-a"
        },
    };

    [Theory]
    [MemberData(nameof(GoodObjects))]
    public void Translate_ValidObject_ReturnsZoneModel(string scenario, string kindAndJson, string expected)
    {
        var (kind, json) = Split(kindAndJson);

        var result = ObjectTranslator.Translate(Object(kind, json));

        Assert.True(result.IsTranslated, $"{scenario}: {result}");
        Assert.Equal(expected, Describe(result.Value));
    }

    public static TheoryData<KubernetesObjectFactory, string> InvalidObjects => new()
    {
        { new(() => Import("{'type':'Foo'}")), "spec.type \"Foo\" must be ClusterSetIP or Headless" },
        { new(() => Import("{'ips':['10.0.0.300']}")), "spec.ips[0] \"10.0.0.300\" is not an IP address" },
        { new(() => Import("{'ips':['10.1']}")), "spec.ips[0] \"10.1\" is not an IP address" },
        { new(() => Import("{'ips':['010.0.0.1']}")), "spec.ips[0] \"010.0.0.1\" is not an IP address" },
        { new(() => Import("{'ips':['fe80::1%eth0']}")), "spec.ips[0] \"fe80::1%eth0\" is not an IP address" },
        { new(() => Import("{'ips':['']}")), "spec.ips[0] \"\" is not an IP address" },
        { new(() => Import("{'ips':['10.0.0.1','10.0.0.2']}")), "spec.ips[1] \"10.0.0.2\" is a second IPv4 address; at most one per family" },
        { new(() => Import("{'ips':['fd00::1','fd00::2']}")), "spec.ips[1] \"fd00::2\" is a second IPv6 address; at most one per family" },
        { new(() => Import("{'ips':['10.0.0.1','fd00::1','10.0.0.2']}")), "spec.ips has 3 addresses; at most 2 (one per family)" },
        { new(() => Import("{'type':'Headless','ips':['10.0.0.1']}")), "spec.ips must be empty for a Headless service" },
        { new(() => Import("{'ports':[{'port':80,'protocol':'HTTP'}]}")), "spec.ports[0].protocol \"HTTP\" must be TCP, UDP or SCTP" },
        { new(() => Import("{'ports':[{'port':80,'protocol':'tcp'}]}")), "spec.ports[0].protocol \"tcp\" must be TCP, UDP or SCTP" },
        { new(() => Import("{'ports':[{'name':'http'}]}")), "spec.ports[0].port 0 is out of range 1-65535" },
        { new(() => Import("{'ports':[{'port':65536}]}")), "spec.ports[0].port 65536 is out of range 1-65535" },
        { new(() => Import("{'ports':[{'name':'HTTP','port':80}]}")), "spec.ports[0].name \"HTTP\" is not a valid port name (lowercase letters, digits and '-')" },
        { new(() => Import("{'ports':[{'name':'web_http','port':80}]}")), "spec.ports[0].name \"web_http\" is not a valid port name (lowercase letters, digits and '-')" },
        { new(() => Import("{'ports':[{'name':'http','port':80},{'name':'http','port':81}]}")), "spec.ports[1].name \"http\" is used by another port" },
        { new(() => Import("{}", metadata: "{'namespace':'shop'}")), "metadata.name is required" },
        { new(() => Import("{}", metadata: "{'name':'web'}")), "metadata.namespace is required" },
        { new(() => Import("{}", metadata: "{'name':'Web','namespace':'shop'}")), "metadata.name \"Web\" is not a valid service name (a DNS label)" },
        { new(() => Import("{}", metadata: "{'name':'web','namespace':'shop.eu'}")), "metadata.namespace \"shop.eu\" is not a valid namespace name (a DNS label)" },
        {
            new(() => Import("{}", apiVersion: "multicluster.x-k8s.io/v2")),
            "apiVersion \"multicluster.x-k8s.io/v2\" is not supported; expected multicluster.x-k8s.io/v1alpha1 or multicluster.x-k8s.io/v1beta1"
        },
        {
            new(() => Slice("[]", extraLabels: "'multicluster.kubernetes.io/source-cluster':'a.b.c'")),
            "metadata.labels['multicluster.kubernetes.io/source-cluster'] \"a.b.c\" is not a valid cluster id: it has more than two labels (a cluster id is one DNS label, or two joined by a dot)"
        },
        {
            new(() => Slice("[]", extraLabels: "'multicluster.kubernetes.io/source-cluster':'Cluster_A'")),
            "metadata.labels['multicluster.kubernetes.io/source-cluster'] \"Cluster_A\" is not a valid cluster id: it is not a DNS name (lower-case letters, digits and '-', not at either end of a label)"
        },
        {
            new(() => Slice("[]", extraLabels: "'multicluster.kubernetes.io/source-cluster':'cluster-b.'")),
            "metadata.labels['multicluster.kubernetes.io/source-cluster'] \"cluster-b.\" is not a valid cluster id: it has an empty label"
        },
        {
            new(() => Slice("[]", serviceName: "Web")),
            "metadata.labels['multicluster.kubernetes.io/service-name'] \"Web\" is not a valid service name (a DNS label)"
        },
        { new(() => Slice("[]", addressType: "IPv5")), "addressType \"IPv5\" must be IPv4, IPv6 or FQDN" },
        { new(() => Slice("[{'addresses':['10.0.0.256']}]")), "endpoints[0].addresses[0] \"10.0.0.256\" is not an IP address" },
        {
            new(() => Slice("[{'addresses':['10.0.0.1']},{'addresses':['10.0.0.2','fd00::1']}]")),
            "endpoints[1].addresses[1] \"fd00::1\" is not an IPv4 address, as the slice's addressType requires"
        },
        {
            new(() => Slice("[{'addresses':['::ffff:10.0.0.1']}]")),
            "endpoints[0].addresses[0] \"::ffff:10.0.0.1\" is not an IPv4 address, as the slice's addressType requires"
        },
        {
            new(() => Slice("[{'addresses':['10.0.0.1']}]", addressType: "IPv6")),
            "endpoints[0].addresses[0] \"10.0.0.1\" is not an IPv6 address, as the slice's addressType requires"
        },
        { new(() => Slice("[{'addresses':[]}]")), "endpoints[0].addresses must hold at least one address" },
        { new(() => Slice("[{'addresses':['10.0.0.1'],'hostname':'DB-0'}]")), "endpoints[0].hostname \"DB-0\" is not a DNS label" },
        { new(() => Slice("[{'addresses':['10.0.0.1'],'hostname':'db.0'}]")), "endpoints[0].hostname \"db.0\" is not a DNS label" },
        { new(() => Slice("[]", ports: "[{'name':'http','port':80},{'name':'http','port':8080}]")), "ports[1].name \"http\" is used by another port" },
        { new(() => Slice("[]", ports: "[{'port':80,'protocol':'ICMP'}]")), "ports[0].protocol \"ICMP\" must be TCP, UDP or SCTP" },
        {
            new(() => Slice("[]", apiVersion: "discovery.k8s.io/v1beta1")),
            "apiVersion \"discovery.k8s.io/v1beta1\" is not supported; expected discovery.k8s.io/v1"
        },
        { new(() => Object("Namespace", "{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'Shop'}}")), "metadata.name \"Shop\" is not a valid namespace name (a DNS label)" },
        { new(() => Object("Namespace", "{'apiVersion':'v1','kind':'Namespace','metadata':{}}")), "metadata.name is required" },
        {
            new(() => Object("ClusterProperty", "{'apiVersion':'about.k8s.io/v1alpha1','kind':'ClusterProperty','metadata':{'name':'id.k8s.io'},'spec':{'value':'a.b.c'}}")),
            "spec.value \"a.b.c\" is not a valid cluster id: it has more than two labels (a cluster id is one DNS label, or two joined by a dot)"
        },
        {
            new(() => Object("ClusterProperty", "{'apiVersion':'about.k8s.io/v1alpha1','kind':'ClusterProperty','metadata':{'name':'id.k8s.io'},'spec':{}}")),
            "spec.value is required"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidObjects))]
    public void Translate_InvalidObject_ReturnsFieldAndReason(KubernetesObjectFactory factory, string expectedMessage)
    {
        var result = ObjectTranslator.Translate(factory.Create());

        Assert.Equal(TranslationOutcome.Invalid, result.Outcome);
        Assert.Equal(expectedMessage, result.Message);
        Assert.StartsWith(result.Field!, expectedMessage, StringComparison.Ordinal);
    }

    public static TheoryData<KubernetesObjectFactory, string> IgnoredObjects => new()
    {
        {
            new(() => Object("EndpointSlice", "{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':{'name':'web-x1','namespace':'shop','labels':{'kubernetes.io/service-name':'web'}},'addressType':'IPv4'}")),
            "no multicluster.kubernetes.io/service-name label"
        },
        { new(() => Slice("[{'addresses':['web.example.com']}]", addressType: "FQDN")), "addressType FQDN has no addresses to serve" },
        { new(() => Import("{}", apiVersion: "lighthouse.submariner.io/v2alpha1")), "apiVersion lighthouse.submariner.io/v2alpha1 is not served for ServiceImport" },
        { new(() => Object("Service", "{'apiVersion':'v1','kind':'Service','metadata':{'name':'web','namespace':'shop'}}")), "kind Service is not served" },
        {
            new(() => Object("ClusterProperty", "{'apiVersion':'about.k8s.io/v1alpha1','kind':'ClusterProperty','metadata':{'name':'clusterset.k8s.io'},'spec':{'value':'prod'}}")),
            "ClusterProperty clusterset.k8s.io is not id.k8s.io"
        },
    };

    [Theory]
    [MemberData(nameof(IgnoredObjects))]
    public void Translate_ObjectNotOurs_IsIgnoredWithReason(KubernetesObjectFactory factory, string expectedReason)
    {
        var result = ObjectTranslator.Translate(factory.Create());

        Assert.Equal(TranslationOutcome.Ignored, result.Outcome);
        Assert.Equal(expectedReason, result.Reason);
    }

    public static TheoryData<KubernetesObjectFactory, KubernetesObjectFactory, bool> ContentPairs => new()
    {
        { new(() => Import("{'ips':['10.0.0.1'],'ports':[{'name':'http','port':80}]}")), new(() => Import("{'ips':['10.0.0.1'],'ports':[{'name':'http','port':80}]}")), true },
        { new(() => Import("{'ips':['10.0.0.1']}")), new(() => Import("{'ips':['10.0.0.2']}")), false },
        { new(() => Import("{'ports':[{'name':'http','port':80}]}")), new(() => Import("{'ports':[{'name':'http','port':81}]}")), false },
        { new(() => Import("{}")), new(() => Import("{'type':'Headless'}")), false },
        { new(() => Slice("[{'addresses':['10.0.0.1'],'hostname':'a'}]")), new(() => Slice("[{'addresses':['10.0.0.1'],'hostname':'a'}]")), true },
        { new(() => Slice("[{'addresses':['10.0.0.1']}]")), new(() => Slice("[{'addresses':['10.0.0.1'],'conditions':{'ready':false}}]")), false },
        { new(() => Slice("[{'addresses':['10.0.0.1']}]")), new(() => Slice("[{'addresses':['10.0.0.1'],'hostname':'a'}]")), false },
        { new(() => Slice("[{'addresses':['10.0.0.1']}]")), new(() => Slice("[{'addresses':['10.0.0.1']},{'addresses':['10.0.0.2']}]")), false },
        { new(() => Slice("[]")), new(() => Slice("[]", extraLabels: "'multicluster.kubernetes.io/source-cluster':'cluster-a'")), false },
        { new(() => Slice("[]", ports: "[{'port':80}]")), new(() => Slice("[]", ports: "[{'port':80,'protocol':'UDP'}]")), false },
    };

    [Theory]
    [MemberData(nameof(ContentPairs))]
    public void ContentEquals_TwoTranslations_ComparesValuesNotArrays(KubernetesObjectFactory a, KubernetesObjectFactory b, bool expected)
    {
        var first = ObjectTranslator.Translate(a.Create());
        var second = ObjectTranslator.Translate(b.Create());

        Assert.True(first.IsTranslated && second.IsTranslated);
        Assert.Equal(expected, first.Value.ContentEquals(second.Value));
        Assert.Equal(expected, second.Value.ContentEquals(first.Value));
    }

    private static (string Kind, string Json) Split(string kindAndJson)
    {
        var bar = kindAndJson.IndexOf('|', StringComparison.Ordinal);
        return (kindAndJson[..bar], kindAndJson[(bar + 1)..]);
    }
}

/// <summary>Defers building an object until the test runs, so a row's fixture failure fails only that row.</summary>
public sealed class KubernetesObjectFactory(Func<object> create)
{
    internal KubernetesObject Create() => (KubernetesObject)create();

    public override string ToString() => "object";
}
