using DnsMcs.Dns;
using DnsMcs.FakeKubeApi;
using DnsMcs.Sources.Kubernetes;
using Microsoft.Extensions.Logging;
using static DnsMcs.Tests.Kubernetes.KubeObjects;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>
/// Distributed mode end to end: objects in a fake API server, questions to a real index and responder.
/// Every test waits for answers, never for time.
/// </summary>
public sealed class KubernetesSourceTests : IAsyncLifetime
{
    private readonly DnsProbe _dns = new();
    private readonly RecordingLoggers _logs = new();
    private readonly LatencyRecorder _latency = new();
    private FakeCluster _cluster = null!;
    private KubernetesSource? _source;

    private FakeKubeApiServer Server => _cluster.Server;

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

    [Fact]
    public async Task Source_ObjectsCreatedUpdatedDeleted_AnswersFollow()
    {
        Store.EnsureNamespace("shop");
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        await StartAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.1");

        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("db", [], "Headless"));
        Store.Create(FakeResource.EndpointSlices, McsSlice("db-east", "db", "east", Ep("10.1.0.1", "db-0"), Ep("10.1.0.2", ready: false)));
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1");
        Assert.Equal(["10.1.0.1"], _dns.Addresses($"db-0.east.{DnsProbe.Name("db")}"));

        Store.Update(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.2"]));
        Store.Update(FakeResource.EndpointSlices, McsSlice("db-east", "db", "east", Ep("10.1.0.1", "db-0"), Ep("10.1.0.2", ready: null)));
        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.2");
        await _dns.UntilAddressesAsync(DnsProbe.Name("db"), "10.1.0.1", "10.1.0.2");

        Store.Delete(FakeResource.ServiceImportsV1Alpha1, "shop", "web");
        Store.Delete(FakeResource.EndpointSlices, "shop", "db-east");
        await _dns.UntilRcodeAsync(DnsProbe.Name("web"), DnsResponseCode.NXDomain);

        // A headless service with no ready endpoints is NXDOMAIN (MCS DNS spec).
        await _dns.UntilRcodeAsync(DnsProbe.Name("db"), DnsResponseCode.NXDomain);
        Assert.Equal(DnsResponseCode.NoError, _dns.Rcode("shop." + DnsProbe.Zone));
    }

    [Fact]
    public async Task Source_BeforeFirstList_NegativeAnswersServfailPositiveServed()
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        using var sliceListHeld = new ManualResetEventSlim();
        Server.OnRequest = request =>
        {
            // Hold the first EndpointSlice list, so one watch has not listed yet.
            if (request.Contains("/endpointslices", StringComparison.Ordinal) && !request.Contains("watch=true", StringComparison.Ordinal))
            {
                sliceListHeld.Wait(TimeSpan.FromSeconds(30));
            }
        };
        try
        {
            await StartAsync();
            await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.1");

            Assert.False(_dns.Index.IsSynced);
            Assert.Equal(DnsResponseCode.ServFail, _dns.Rcode(DnsProbe.Name("nothing")));
            Assert.Equal(DnsResponseCode.ServFail, _dns.Rcode(DnsProbe.Name("web"), DnsRecordType.AAAA));
        }
        finally
        {
            sliceListHeld.Set();
        }

        await _dns.UntilRcodeAsync(DnsProbe.Name("nothing"), DnsResponseCode.NXDomain);
        Assert.True(_dns.Index.IsSynced);
    }

    [Fact]
    public async Task Source_StreamCutMidEvent_ResumesWithLaterChanges()
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        await StartSyncedAsync();
        await UntilWatchingAsync();

        Server.CutWatches();
        Store.Update(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.2"]));
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("api", ["10.0.0.3"]));

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.2");
        await _dns.UntilAddressesAsync(DnsProbe.Name("api"), "10.0.0.3");
    }

    [Fact]
    public async Task Source_GoneDuringWatch_RelistsAndDropsObjectDeletedMeanwhile()
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("old", ["10.0.0.9"]));
        await StartSyncedAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("old"), "10.0.0.9");
        await UntilWatchingAsync();

        // Between the cut and the resumed watch, "old" goes and history is compacted: the resumed watch gets
        // an ERROR 410 event, and only a relist can tell that "old" is gone (a synthetic delete).
        var once = 0;
        Server.OnRequest = request =>
        {
            if (request.Contains("/serviceimports", StringComparison.Ordinal) && request.Contains("watch=true", StringComparison.Ordinal) && Interlocked.Exchange(ref once, 1) == 0)
            {
                Store.Delete(FakeResource.ServiceImportsV1Alpha1, "shop", "old");
                Store.Compact();
            }
        };
        Server.CutWatches(cleanly: true);

        await _dns.UntilRcodeAsync(DnsProbe.Name("old"), DnsResponseCode.NXDomain);
        Assert.Equal(["10.0.0.1"], _dns.Addresses(DnsProbe.Name("web")));
        Assert.Contains(Server.Requests, r => r.Contains("/serviceimports", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Source_ServerRestartedWithNewerResourceVersion_Converges()
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("old", ["10.0.0.9"]));
        await StartSyncedAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("old"), "10.0.0.9");

        await Server.StopAsync();
        Store.Update(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.2"]));
        Store.Delete(FakeResource.ServiceImportsV1Alpha1, "shop", "old");
        Store.AdvanceResourceVersion(5000);
        Store.Compact();
        await Server.StartAgainAsync();

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.2");
        await _dns.UntilRcodeAsync(DnsProbe.Name("old"), DnsResponseCode.NXDomain);
    }

    [Fact]
    public async Task Source_UnauthorizedThenRecovers_AppliesLaterChanges()
    {
        await _cluster.DisposeAsync();
        _cluster = await FakeCluster.StartAsync(new FakeKubeApiOptions { Tokens = ["secret"] }, token: "secret");
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        await StartSyncedAsync();
        await UntilWatchingAsync();

        Server.FailNextRequests(401, 3);
        Server.CutWatches();
        Store.Update(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.2"]));

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.2");
        Assert.Contains(_logs.WithEventId(3102), m => m.Contains("401", StringComparison.Ordinal) || m.Contains("Unauthorized", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Source_ClusterPropertyDiscoveryFailsOnce_RetriesAndSyncs()
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        var once = 0;
        Server.OnRequest = request =>
        {
            // Discovery runs one request at a time, so this failure lands on the about.k8s.io lookup itself.
            if (request.Contains("/apis/about.k8s.io/", StringComparison.Ordinal) && Interlocked.Exchange(ref once, 1) == 0)
            {
                Server.FailNextRequests(503);
            }
        };

        await StartSyncedAsync();

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.1");
        Assert.Contains(_logs.WithEventId(3104), m => m.Contains("about.k8s.io", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Source_ApiServerStopped_KeepsAnsweringThenConverges()
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        await StartSyncedAsync();

        await Server.StopAsync();
        await DnsProbe.UntilAsync(() => _source!.Watches.All(w => !w.Connection().Connected), "every watch to notice the API server is gone");
        Assert.Equal(["10.0.0.1"], _dns.Addresses(DnsProbe.Name("web")));
        Assert.Equal(DnsResponseCode.NXDomain, _dns.Rcode(DnsProbe.Name("nothing")));

        Store.Update(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.2"]));
        await Server.StartAgainAsync();

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.2");
        await DnsProbe.UntilAsync(() => _source!.Watches.All(w => w.Connection().Connected), "every watch to reconnect");
    }

    [Fact]
    public async Task Source_InvalidUpdate_SkippedAndLastGoodVersionKept()
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.1"]));
        await StartSyncedAsync();
        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.1");

        Store.Update(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.300"]));
        await DnsProbe.UntilAsync(() => _logs.WithEventId(3100).Any(m => m.Contains("shop/web", StringComparison.Ordinal)), "the invalid ServiceImport to be reported");
        Assert.Equal(["10.0.0.1"], _dns.Addresses(DnsProbe.Name("web")));
        Assert.Contains("spec.ips[0]", _logs.WithEventId(3100).Single(), StringComparison.Ordinal);

        // The watch goes on: a later good version is applied.
        Store.Update(FakeResource.ServiceImportsV1Alpha1, ServiceImport("web", ["10.0.0.2"]));
        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.2");
    }

    [Theory]
    [InlineData("v1alpha1")]
    [InlineData("v1beta1")]
    public async Task Source_ServiceImportServedAtOneVersion_UsesThatVersion(string version)
    {
        await _cluster.DisposeAsync();
        var imports = version == "v1beta1" ? FakeResource.ServiceImportsV1Beta1 : FakeResource.ServiceImportsV1Alpha1;
        _cluster = await FakeCluster.StartAsync(new FakeKubeApiOptions
        {
            Resources = [FakeResource.Namespaces, FakeResource.Services, FakeResource.EndpointSlices, imports, FakeResource.ClusterProperties],
        });
        Store.Create(imports, ServiceImport("web", ["10.0.0.1"], version: version));
        await StartSyncedAsync();

        await _dns.UntilAddressesAsync(DnsProbe.Name("web"), "10.0.0.1");
        Assert.Contains(Server.Requests, r => r.Contains($"/apis/multicluster.x-k8s.io/{version}/serviceimports", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Source_EveryAppliedEvent_ReportsProgrammingLatency()
    {
        await StartSyncedAsync();
        await UntilWatchingAsync();
        _latency.Clear();

        for (var i = 1; i <= 5; i++)
        {
            Store.Create(FakeResource.EndpointSlices, McsSlice($"s{i}", "web", "east", Ep($"10.1.0.{i}")));
        }

        Store.Delete(FakeResource.EndpointSlices, "shop", "s5");

        // Six events (five adds, one delete): one latency sample each, none negative.
        await DnsProbe.UntilAsync(() => _latency.Count >= 6, () => $"six latency samples, got {_latency.Count}");
        Assert.Equal(6, _latency.Count);
        Assert.All(_latency.Samples(), s => Assert.True(s >= TimeSpan.Zero));
    }

    private async Task StartAsync()
    {
        _source = new KubernetesSource(new KubernetesSourceOptions { Kubeconfig = _cluster.Kubeconfig }, _dns.Index, _logs.Factory, _latency.Record);
        await _source.StartAsync(CancellationToken.None);
    }

    private async Task StartSyncedAsync()
    {
        await StartAsync();
        await DnsProbe.UntilAsync(() => _dns.Index.IsSynced, () => $"the index to sync; pending: {string.Join(", ", _dns.Index.PendingSources())}");
    }

    /// <summary>Changes made before the watches are open would be seen by the list, not the watch under test.</summary>
    private Task UntilWatchingAsync() =>
        DnsProbe.UntilAsync(() => Server.ActiveWatches >= 4, () => $"four open watches, got {Server.ActiveWatches}");
}
