using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DnsMcs.Controller.Probing;
using DnsMcs.Controller.Tests.Support;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Watching;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Probing;

/// <summary>Probes real TCP connects to loopback addresses: 127.0.0.2 listens, 127.0.0.3 does not (until it does).</summary>
public sealed class ProberTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Probe_RemoteEndpointDown_AnnotatedThenClearedWhenItRecovers()
    {
        using var up = Listen("127.0.0.2", 0);
        var port = ((IPEndPoint)up.LocalEndpoint).Port;
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "west");
        clusters.Namespace("west", "shop");
        clusters["west"].Store.Create(FakeResource.ServiceImportsV1Alpha1, """{"metadata":{"name":"cart","namespace":"shop"},"spec":{"type":"ClusterSetIP","ports":[]}}""");
        MirroredSlice(clusters, "cart-east", "east", port, "127.0.0.2", "127.0.0.3");

        // West's own endpoints are local: never probed, never reported, even when down.
        MirroredSlice(clusters, "cart-west", "west", port, "127.0.0.4");

        await using var prober = StartProber(clusters);
        await Eventually.TrueAsync(() => Disconnected(clusters) == "127.0.0.3", "127.0.0.3 reported");

        using var recovered = Listen("127.0.0.3", port);
        await Eventually.TrueAsync(() => Disconnected(clusters) is null, "annotation cleared");
    }

    [Fact]
    public async Task Probe_WithController_DisconnectedEndpointLeftOutThenBack()
    {
        using var up = Listen("127.0.0.2", 0);
        var port = ((IPEndPoint)up.LocalEndpoint).Port;
        await using var clusters = await Clusters.StartAsync(new TestLoggerFactory(output), "east", "west");
        clusters.Namespace("east", "shop");
        clusters.Namespace("west", "shop");
        clusters.Service("east", "shop", "cart");
        clusters.Slice("east", "shop", "cart", "cart-1", ["127.0.0.2", "127.0.0.3"], port);
        clusters.Export("east", "shop", "cart");
        clusters.Start(clusters.Settings());
        await using var prober = StartProber(clusters);

        await Eventually.TrueAsync(() => Disconnected(clusters) == "127.0.0.3" && Addresses(clusters) == "127.0.0.2", "left out of west");

        // The controller withheld it, the prober keeps probing it through the slice's annotation.
        using var recovered = Listen("127.0.0.3", port);
        await Eventually.TrueAsync(() => Disconnected(clusters) is null && Addresses(clusters) == "127.0.0.2,127.0.0.3", "back in west");
    }

    private static TcpListener Listen(string address, int port)
    {
        var listener = new TcpListener(IPAddress.Parse(address), port);
        listener.Start();
        return listener;
    }

    private static void MirroredSlice(Clusters clusters, string name, string source, int port, params string[] addresses) =>
        clusters["west"].Store.Create(FakeResource.EndpointSlices, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "shop",
                ["labels"] = new JsonObject { [McsLabels.ServiceName] = "cart", [McsLabels.SourceCluster] = source },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray([.. addresses.Select(a => (JsonNode)new JsonObject { ["addresses"] = new JsonArray(a) })]),
            ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["protocol"] = "TCP" }),
        });

    private static string? Disconnected(Clusters clusters) =>
        clusters.Import("west", "shop", "cart")?["metadata"]?["annotations"]?[McsLabels.DisconnectedAddressAnnotation]?.GetValue<string>();

    private static string Addresses(Clusters clusters) =>
        string.Join(',', clusters.MirroredSlices("west", "shop", "cart").SelectMany(s => s["endpoints"]!.AsArray()).SelectMany(e => e!["addresses"]!.AsArray().Select(a => a!.GetValue<string>())).Order(StringComparer.Ordinal));

    private RunningProber StartProber(Clusters clusters)
    {
        var settings = new ProbeSettings
        {
            Configuration = new KubernetesClientConfiguration { Server = clusters["west"].BaseAddress },
            LocalCluster = "west",
            Interval = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromSeconds(2),
            FailureThreshold = 2,
            WatcherOptions = new ResourceWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(300) },
        };
        var client = new KubernetesClient(settings.Configuration);
        return new RunningProber(new EndpointProber(settings, client, new TestLoggerFactory(output).CreateLogger("probe")), client);
    }

    private sealed class RunningProber : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly KubernetesClient _client;
        private readonly Task _run;

        public RunningProber(EndpointProber prober, KubernetesClient client)
        {
            _client = client;
            _run = Task.Run(() => prober.RunAsync(_stop.Token));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(15));
            _client.Dispose();
            _stop.Dispose();
        }
    }
}
