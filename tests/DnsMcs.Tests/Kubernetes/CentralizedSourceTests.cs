using System.Globalization;
using DnsMcs.Controller;
using DnsMcs.Dns;
using DnsMcs.FakeKubeApi;
using DnsMcs.Sources.Centralized;
using static DnsMcs.Tests.Kubernetes.KubeObjects;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>
/// Centralized mode end to end: two fake member clusters ("east" and "west") with Services, their own
/// EndpointSlices and ServiceExports; questions to a real index and responder.
/// </summary>
public sealed class CentralizedSourceTests : IAsyncLifetime
{
    private readonly DnsProbe _dns = new();
    private readonly RecordingLoggers _logs = new();
    private readonly LatencyRecorder _latency = new();
    private FakeCluster _east = null!;
    private FakeCluster _west = null!;
    private CentralizedSource? _source;

    private FakeObjectStore East => _east.Server.Store;

    private FakeObjectStore West => _west.Server.Store;

    public async Task InitializeAsync()
    {
        _east = await FakeCluster.StartAsync();
        _west = await FakeCluster.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }

        await _east.DisposeAsync();
        await _west.DisposeAsync();
        _logs.Dispose();
    }

    [Fact]
    public async Task Centralized_ServiceExportedFromTwoMembers_AnswersEveryClusterIp()
    {
        Export("east", "web", ["10.96.0.10"], Ep("10.1.0.1", "web-0"));
        Export("west", "web", ["10.97.0.10", "fd00:97::10"], Ep("10.2.0.1", "web-0"));
        West.EnsureNamespace("shop");
        await StartSyncedAsync();

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.96.0.10", "10.97.0.10");
        Assert.Equal(["fd00:97::10"], _dns.Addresses(DnsProbe.Name("web"), DnsRecordType.AAAA));

        // Per-endpoint names carry the member's cluster id, for ClusterSetIP services too.
        Assert.Equal(["10.1.0.1"], _dns.Addresses($"web-0.east.{DnsProbe.Name("web")}"));
        Assert.Equal(["10.2.0.1"], _dns.Addresses($"web-0.west.{DnsProbe.Name("web")}"));
        Assert.Equal(DnsResponseCode.NoError, _dns.Rcode("shop." + DnsProbe.Zone));

        // A Service that is not exported is not served; an unknown namespace does not exist.
        East.Create(FakeResource.Services, Service("private", ["10.96.0.99"]));
        Export("east", "later", ["10.96.0.11"]);
        await _dns.UntilAddressesAsync(DnsProbe.Name("later"), "10.96.0.11");
        Assert.Equal(DnsResponseCode.NXDomain, _dns.Rcode(DnsProbe.Name("private")));
        Assert.Equal(DnsResponseCode.NXDomain, _dns.Rcode("elsewhere." + DnsProbe.Zone, DnsRecordType.SOA));
    }

    [Fact]
    public async Task Centralized_HeadlessAcrossMembers_AnswersReadyPodsWithPerMemberNames()
    {
        Export("east", "db", ["None"], Ep("10.1.0.1", "db-0"), Ep("10.1.0.2", "db-1", ready: false));
        Export("west", "db", ["None"], Ep("10.2.0.1", "db-0"), Ep("10.2.0.2", ready: null));
        await StartSyncedAsync();

        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1", "10.2.0.1", "10.2.0.2");
        Assert.Equal(["10.1.0.1"], _dns.Addresses($"db-0.east.{DnsProbe.Name("db")}"));
        Assert.Equal(["10.2.0.1"], _dns.Addresses($"db-0.west.{DnsProbe.Name("db")}"));
        Assert.Equal(["10.2.0.2"], _dns.Addresses($"10-2-0-2.west.{DnsProbe.Name("db")}"));
        Assert.Equal(DnsResponseCode.NXDomain, _dns.Rcode($"db-1.east.{DnsProbe.Name("db")}"));

        // SRV: one record per ready pod, on the port its slice gives, named under its member's cluster id.
        var srv = _dns.Ask($"_http._tcp.{DnsProbe.Name("db")}", DnsRecordType.SRV).Answers.Select(r => r.Data).OfType<DnsSrvData>();
        Assert.Equal(
            [$"8080 10-2-0-2.west.{DnsProbe.Name("db")}.", $"8080 db-0.east.{DnsProbe.Name("db")}.", $"8080 db-0.west.{DnsProbe.Name("db")}."],
            srv.Select(r => $"{r.Port} {r.Target}").Order(StringComparer.Ordinal));

        // A pod becoming ready in one member shows up; the other member's pods stay.
        East.Update(FakeResource.EndpointSlices, ServiceSlice("db-east", "db", Ep("10.1.0.1", "db-0"), Ep("10.1.0.2", "db-1")));
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1", "10.1.0.2", "10.2.0.1", "10.2.0.2");
    }

    [Fact]
    public async Task Centralized_TypeConflict_OldestExportDecidesAndConflictIsLoggedOnce()
    {
        // West exports first (and "west" sorts after "east", so only age can make it win).
        var first = Export("west", "db", ["None"], Ep("10.2.0.1", "db-0"));
        await UntilSecondAfterAsync(first);
        Export("east", "db", ["10.96.0.20"], Ep("10.1.0.1", "db-0"));
        await StartSyncedAsync();

        // Headless: pods of both members, no ClusterIP.
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1", "10.2.0.1");
        await DnsProbe.UntilAsync(() => _logs.WithEventId(3207).Any(), "the conflict to be logged");
        var conflict = Assert.Single(_logs.WithEventId(3207));
        Assert.Contains("member east", conflict, StringComparison.Ordinal);
        Assert.Contains("TypeConflict", conflict, StringComparison.Ordinal);

        // A change that leaves the conflict as it was does not log it again.
        East.Update(FakeResource.EndpointSlices, ServiceSlice("db-east", "db", Ep("10.1.0.1", "db-0"), Ep("10.1.0.5", "db-1")));
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1", "10.1.0.5", "10.2.0.1");
        Assert.Single(_logs.WithEventId(3207));

        // The oldest export goes: the remaining one decides, and its ClusterIP is the answer.
        West.Delete(FakeResource.ServiceExportsV1Alpha1, "shop", "db");
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.96.0.20");
        await DnsProbe.UntilAsync(() => _logs.WithEventId(3208).Any(), "the conflict to be reported resolved");
    }

    [Fact]
    public async Task Centralized_UnexportInOneMember_RemovesOnlyItsAddresses()
    {
        Export("east", "web", ["10.96.0.10"], Ep("10.1.0.1", "web-0"));
        Export("west", "web", ["10.97.0.10"], Ep("10.2.0.1", "web-0"));
        await StartSyncedAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.96.0.10", "10.97.0.10");

        East.Delete(FakeResource.ServiceExportsV1Alpha1, "shop", "web");

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.97.0.10");
        Assert.Equal(DnsResponseCode.NXDomain, _dns.Rcode($"web-0.east.{DnsProbe.Name("web")}"));
        Assert.Equal(["10.2.0.1"], _dns.Addresses($"web-0.west.{DnsProbe.Name("web")}"));

        // The Service going away unexports it as well.
        West.Delete(FakeResource.Services, "shop", "web");
        await _dns.UntilRcodeAsync(DnsProbe.Name("web"), DnsResponseCode.NXDomain);
    }

    [Fact]
    public async Task Centralized_OneMemberDown_OtherFlowsAndDownMemberKeepsLastKnown()
    {
        Export("east", "db", ["None"], Ep("10.1.0.1", "db-0"));
        Export("west", "db", ["None"], Ep("10.2.0.1", "db-0"));
        await StartSyncedAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1", "10.2.0.1");

        await _east.Server.StopAsync();
        await DnsProbe.UntilAsync(() => Member("east") is { Connected: false }, () => $"east to be reported unreachable: {Member("east")}");
        Assert.True(Member("west")!.Connected);
        await DnsProbe.UntilAsync(() => _logs.WithEventId(3204).Any(m => m.Contains("east", StringComparison.Ordinal)), "east's outage to be logged");

        West.Update(FakeResource.EndpointSlices, ServiceSlice("db-west", "db", Ep("10.2.0.1", "db-0"), Ep("10.2.0.2", "db-1")));
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1", "10.2.0.1", "10.2.0.2");
        Assert.Equal(["10.1.0.1"], _dns.Addresses($"db-0.east.{DnsProbe.Name("db")}"));

        // East comes back with a change made while it was away.
        East.Update(FakeResource.EndpointSlices, ServiceSlice("db-east", "db", Ep("10.1.0.3", "db-0")));
        await _east.Server.StartAgainAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.3", "10.2.0.1", "10.2.0.2");
        await DnsProbe.UntilAsync(() => Member("east") is { Connected: true }, () => $"east to be reported reachable: {Member("east")}");
    }

    [Fact]
    public async Task Centralized_MemberNeverAnswersWithoutTimeout_NegativeAnswersStayServfail()
    {
        Export("west", "web", ["10.97.0.10"]);
        await _east.Server.StopAsync();
        await StartAsync(TimeSpan.Zero);

        await DnsProbe.UntilAsync(() => Member("west") is { Synced: true }, "west to sync");
        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.97.0.10");
        Assert.False(_dns.Index.IsSynced);
        Assert.Equal(DnsResponseCode.ServFail, _dns.Rcode(DnsProbe.Name("nothing")));
        Assert.Contains(_dns.Index.PendingSources(), s => s.StartsWith("kubernetes/east/", StringComparison.Ordinal));

        await _east.Server.StartAgainAsync();
        await _dns.UntilRcodeAsync(DnsProbe.Name("nothing"), DnsResponseCode.NXDomain);
        Assert.True(Member("east")!.Synced);
    }

    [Fact]
    public async Task Centralized_MemberNeverAnswers_SyncTimeoutReleasesGateAndMemberFillsInLater()
    {
        Export("west", "web", ["10.97.0.10"]);
        Export("east", "api", ["10.96.0.30"]);
        await _east.Server.StopAsync();
        await StartAsync(TimeSpan.FromSeconds(1));

        await _dns.UntilRcodeAsync(DnsProbe.Name("nothing"), DnsResponseCode.NXDomain);

        // On a busy machine the timeout may pass before west has listed too; west fills in regardless.
        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.97.0.10");
        var east = Member("east")!;
        Assert.False(east.Synced);
        Assert.True(east.SyncTimedOut);
        Assert.False(east.Connected);

        // The timeout is logged right after it is recorded; give the logging thread a moment on a busy machine.
        for (var waited = 0; waited < 100 && !_logs.WithEventId(3206).Any(m => m.Contains("Member east ", StringComparison.Ordinal)); waited++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(_logs.WithEventId(3206), m => m.Contains("Member east ", StringComparison.Ordinal));

        await _east.Server.StartAgainAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("api"), "10.96.0.30");
        await DnsProbe.UntilAsync(() => Member("east") is { Synced: true, SyncTimedOut: false }, () => $"east to sync: {Member("east")}");
    }

    [Fact]
    public async Task Centralized_MemberServesServiceExportV1Beta1_UsesThatVersion()
    {
        await _east.DisposeAsync();
        _east = await FakeCluster.StartAsync(new FakeKubeApiOptions
        {
            Resources = [FakeResource.Namespaces, FakeResource.Services, FakeResource.EndpointSlices, FakeResource.ServiceExportsV1Beta1],
        });
        East.Create(FakeResource.Services, Service("web", ["10.96.0.10"]));
        var export = ServiceExport("web");
        export["apiVersion"] = "multicluster.x-k8s.io/v1beta1";
        East.Create(FakeResource.ServiceExportsV1Beta1, export);
        Export("west", "web", ["10.97.0.10"]);
        await StartSyncedAsync();

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.96.0.10", "10.97.0.10");
        Assert.Contains(_east.Server.Requests, r => r.Contains("/apis/multicluster.x-k8s.io/v1beta1/serviceexports", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Centralized_MemberWithoutServiceExportApi_DoesNotHoldTheSyncGate()
    {
        await _east.DisposeAsync();
        _east = await FakeCluster.StartAsync(new FakeKubeApiOptions
        {
            Resources = [FakeResource.Namespaces, FakeResource.Services, FakeResource.EndpointSlices],
        });
        Export("west", "web", ["10.97.0.10"]);

        // No sync timeout at all: only the member's answer can release the gate.
        await StartAsync(TimeSpan.Zero);

        await _dns.UntilRcodeAsync(DnsProbe.Name("nothing"), DnsResponseCode.NXDomain);
        Assert.Equal(["10.97.0.10"], _dns.Addresses(DnsProbe.Name("web")));
        Assert.Contains(_logs.WithEventId(3214), m => m.Contains("east", StringComparison.Ordinal));
        Assert.Contains("ServiceExport CRD is not installed", Member("east")!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Centralized_ExportOfExternalNameService_NotServedAndLogged()
    {
        East.Create(FakeResource.Services, Service("ext", ["None"], type: "ExternalName"));
        East.Create(FakeResource.ServiceExportsV1Alpha1, ServiceExport("ext"));
        Export("west", "web", ["10.97.0.10"]);
        await StartSyncedAsync();

        await DnsProbe.UntilAsync(() => _logs.WithEventId(3209).Any(m => m.Contains("InvalidServiceType", StringComparison.Ordinal)), "the invalid export to be logged");
        Assert.Equal(DnsResponseCode.NXDomain, _dns.Rcode(DnsProbe.Name("ext")));
    }

    [Fact]
    public async Task Centralized_EveryAppliedEvent_ReportsProgrammingLatency()
    {
        Export("east", "web", ["10.96.0.10"]);
        await StartSyncedAsync();
        await DnsProbe.UntilAsync(() => _east.Server.ActiveWatches >= 4 && _west.Server.ActiveWatches >= 4, "every watch to be open");
        _latency.Clear();

        East.Update(FakeResource.Services, Service("web", ["10.96.0.11"]));
        West.Create(FakeResource.Namespaces, Namespace("other"));
        West.Delete(FakeResource.Namespaces, null, "other");

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.96.0.11");
        await DnsProbe.UntilAsync(() => _latency.Count >= 3, () => $"three latency samples, got {_latency.Count}");
        Assert.Equal(3, _latency.Count);
    }

    /// <summary>A Service with its own slice "&lt;name&gt;-&lt;member&gt;" (when endpoints are given) and a ServiceExport; returns the export.</summary>
    private System.Text.Json.Nodes.JsonObject Export(string member, string name, string[] clusterIps, params Endpoint[] endpoints)
    {
        var store = member == "east" ? East : West;
        store.Create(FakeResource.Services, Service(name, clusterIps));
        if (endpoints.Length > 0)
        {
            store.Create(FakeResource.EndpointSlices, ServiceSlice($"{name}-{member}", name, endpoints));
        }

        return store.Create(FakeResource.ServiceExportsV1Alpha1, ServiceExport(name));
    }

    /// <summary>Creation timestamps have one-second resolution: wait until a later export is really younger.</summary>
    private static Task UntilSecondAfterAsync(System.Text.Json.Nodes.JsonObject created)
    {
        var stamp = DateTimeOffset.Parse(created["metadata"]!["creationTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        return DnsProbe.UntilAsync(() => DateTimeOffset.UtcNow >= stamp.AddSeconds(1), "the next second");
    }

    private MemberStatus? Member(string name) => _source?.Members.SingleOrDefault(m => m.Name == name);

    private async Task StartAsync(TimeSpan? syncTimeout = null)
    {
        var options = new CentralizedSourceOptions
        {
            Members = [new MemberSettings("east", _east.Kubeconfig, null), new MemberSettings("west", _west.Kubeconfig, null)],
            MemberSyncTimeout = syncTimeout ?? CentralizedSourceOptions.DefaultMemberSyncTimeout,
            MaxBackoff = TimeSpan.FromSeconds(2),
        };
        _source = new CentralizedSource(options, _dns.Index, _logs.Factory, _latency.Record);
        await _source.StartAsync(CancellationToken.None);
    }

    private async Task StartSyncedAsync()
    {
        await StartAsync();
        await DnsProbe.UntilAsync(() => _dns.Index.IsSynced, () => $"the index to sync; pending: {string.Join(", ", _dns.Index.PendingSources())}");
    }
}
