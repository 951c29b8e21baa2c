using DnsMcs.Controller;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Sources.Centralized;
using DnsMcs.Tests.Sources;
using DnsMcs.Zone.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>The centralized merge without HTTP: what reaches the index's update API, and only that.</summary>
public sealed class ClusterSetViewTests
{
    private static readonly DateTimeOffset Old = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly RecordingClusterSetWriter _writer = new();
    private readonly ClusterSetView _view;

    public ClusterSetViewTests()
    {
        _view = new ClusterSetView(_writer, NullLogger.Instance);
        _view.AddMember("east");
        _view.AddMember("west");
    }

    [Fact]
    public void PutSlice_OneServiceChanges_WritesOnlyThatServicesSlice()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");
        Exported("east", "api", "10.96.0.20", "10.1.1.1");
        var before = _writer.CallCount;

        _view.PutSlice("east", Slice("web-east", "web", "10.1.0.2"));

        Assert.Equal(["BatchStart", "PutEndpointSlice shop/east/web-east", "BatchEnd"], _writer.CallsSince(before));
        Assert.Equal("east", _writer.Slices["shop/east/web-east"].ClusterId);
    }

    [Fact]
    public void PutExport_SameContentAgain_WritesNothing()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");
        var before = _writer.CallCount;

        // A status update of the export, a new resourceVersion of the Service: nothing DNS sees changes.
        _view.PutExport("east", Export("web", Old));
        _view.PutService("east", Service("web", "10.96.0.10"));
        _view.PutSlice("east", Slice("web-east", "web", "10.1.0.1"));

        Assert.Empty(_writer.CallsSince(before));
    }

    [Fact]
    public void PutExport_TwoMembers_ServiceHasBothClusterIpsAndMergedPorts()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");
        _view.PutService("west", Service("web", "10.97.0.10", port: 8443, portName: "https"));
        _view.PutExport("west", Export("web", Old.AddMinutes(1)));

        var web = _writer.Services["shop/web"];
        Assert.Equal(ServiceType.ClusterSetIP, web.Type);
        Assert.Equal(["10.96.0.10", "10.97.0.10"], web.Ips.Select(ip => ip.ToString()));
        Assert.Equal(["http/TCP/80", "https/TCP/8443"], web.Ports.Select(p => $"{p.Name}/{p.Protocol}/{p.Port}"));
    }

    [Fact]
    public void PutSlice_MovedToAnotherService_LeavesTheOldOne()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");
        Exported("east", "api", "10.96.0.20", "10.1.1.1");

        _view.PutSlice("east", Slice("web-east", "api", "10.1.0.1"));

        Assert.Equal("api", _writer.Slices["shop/east/web-east"].ServiceName);
        _view.RemoveSlice("east", Slice("web-east", "api", "10.1.0.1"));
        Assert.False(_writer.Slices.ContainsKey("shop/east/web-east"));
        Assert.True(_writer.Slices.ContainsKey("shop/east/api-east"));
    }

    [Fact]
    public void PutSlice_Invalid_KeepsLastGoodVersion()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");
        var before = _writer.CallCount;

        var refused = _view.PutSlice("east", Slice("web-east", "web", "10.1.0.300"));

        Assert.NotNull(refused);
        Assert.Empty(_writer.CallsSince(before));
        Assert.Equal("10.1.0.1", _writer.Slices["shop/east/web-east"].Endpoints[0].Addresses[0].ToString());
    }

    [Fact]
    public void RemoveNamespace_StillInAnotherMember_NamespaceStays()
    {
        _view.PutNamespace("east", "shop");
        _view.PutNamespace("west", "shop");

        _view.RemoveNamespace("east", "shop");
        Assert.Contains("shop", _writer.Namespaces);

        _view.RemoveNamespace("west", "shop");
        Assert.DoesNotContain("shop", _writer.Namespaces);
    }

    [Fact]
    public void RemoveService_LastExportingMember_RemovesServiceAndSlices()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");

        _view.RemoveService("east", Service("web", "10.96.0.10"));

        Assert.False(_writer.Services.ContainsKey("shop/web"));
        Assert.False(_writer.Slices.ContainsKey("shop/east/web-east"));
    }

    [Fact]
    public void PutService_OnlyFieldsDnsDoesNotReadChange_WritesNothing()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");
        var before = _writer.CallCount;
        var changed = Service("web", "10.96.0.10");
        changed.Metadata.Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { ["note"] = "a new deploy" };
        changed.Spec!.Selector = new Dictionary<string, string>(StringComparer.Ordinal) { ["app"] = "web-v2" };
        changed.Spec.Ports![0].TargetPort = "9090";

        _view.PutService("east", changed);

        Assert.Empty(_writer.CallsSince(before));
    }

    [Fact]
    public void RemoveSliceAndExport_TombstonesOfAKeysOnlyWatch_RemoveWhatTheyName()
    {
        Exported("east", "web", "10.96.0.10", "10.1.0.1");

        // After a relist, a keys-only watcher deletes with objects holding only namespace and name.
        _view.RemoveSlice("east", new EndpointSlice { Metadata = new ObjectMeta { Namespace = "shop", Name = "web-east" } });
        Assert.False(_writer.Slices.ContainsKey("shop/east/web-east"));
        Assert.True(_writer.Services.ContainsKey("shop/web"));

        _view.RemoveExport("east", new ServiceExport { Metadata = new ObjectMeta { Namespace = "shop", Name = "web" } });
        Assert.False(_writer.Services.ContainsKey("shop/web"));
    }

    [Fact]
    public void PutSlice_MemberNotExporting_KeptAndWrittenWhenExported()
    {
        _view.PutService("west", Service("web", "10.97.0.10"));
        _view.PutSlice("west", Slice("web-west", "web", "10.2.0.1"));
        Assert.False(_writer.Slices.ContainsKey("shop/west/web-west"));

        _view.PutExport("west", Export("web", Old));

        Assert.Equal("west", _writer.Slices["shop/west/web-west"].ClusterId);
        Assert.Equal(["10.97.0.10"], _writer.Services["shop/web"].Ips.Select(ip => ip.ToString()));
    }

    [Theory]
    [InlineData("east=/etc/k/east.yaml", "east", "/etc/k/east.yaml", null)]
    [InlineData("east=/etc/k/east.yaml@admin@east", "east", "/etc/k/east.yaml@admin", "east")]
    [InlineData("east.eu=/home/me@work/config", "east.eu", "/home/me@work/config", null)]
    [InlineData("west=config@ctx", "west", "config", "ctx")]
    public void Parse_MemberSpec_SplitsNamePathAndContext(string spec, string name, string path, string? context)
    {
        Assert.Equal(new MemberSettings(name, path, context), CentralizedSourceOptions.ParseMember(spec));
    }

    [Theory]
    [InlineData("east")]
    [InlineData("=/k")]
    [InlineData("east=")]
    [InlineData("East_1=/k")]
    [InlineData("east=/k@")]
    [InlineData("east=@ctx")]
    public void Parse_BadMemberSpec_Throws(string spec)
    {
        Assert.Throws<FormatException>(() => CentralizedSourceOptions.ParseMember(spec));
    }

    private void Exported(string member, string name, string clusterIp, string podIp)
    {
        _view.PutService(member, Service(name, clusterIp));
        _view.PutSlice(member, Slice($"{name}-{member}", name, podIp));
        _view.PutExport(member, Export(name, Old));
    }

    private static ServiceExport Export(string name, DateTimeOffset created) => new()
    {
        ApiVersion = "multicluster.x-k8s.io/v1alpha1",
        Kind = "ServiceExport",
        Metadata = new ObjectMeta { Namespace = "shop", Name = name, CreationTimestamp = created },
    };

    private static Service Service(string name, string clusterIp, int port = 80, string portName = "http") => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Namespace = "shop", Name = name },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = clusterIp,
            Ports = [new ServicePort { Name = portName, Protocol = "TCP", Port = port }],
        },
    };

    private static EndpointSlice Slice(string name, string service, string address) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new ObjectMeta
        {
            Namespace = "shop",
            Name = name,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new EndpointPort { Name = "http", Protocol = "TCP", Port = 8080 }],
        Endpoints = [new Endpoint { Addresses = [address], Conditions = new EndpointConditions { Ready = true } }],
    };
}
