using System.Text.Json.Nodes;
using DnsMcs.Controller.Sync;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Watching;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Controller.Tests.Support;

/// <summary>
/// Several fake API servers, one per member cluster, plus controllers running against them.
/// Objects are seeded and read through each fake's store; controllers talk HTTP like to real servers.
/// </summary>
internal sealed class Clusters : IAsyncDisposable
{
    private readonly Dictionary<string, FakeKubeApiServer> _servers = new(StringComparer.Ordinal);
    private readonly List<RunningController> _controllers = [];

    private Clusters(ILoggerFactory loggerFactory) => LoggerFactory = loggerFactory;

    public ILoggerFactory LoggerFactory { get; }

    public IReadOnlyList<string> Names => [.. _servers.Keys];

    public FakeKubeApiServer this[string name] => _servers[name];

    public static async Task<Clusters> StartAsync(ILoggerFactory loggerFactory, params string[] names) =>
        await StartAsync(loggerFactory, FakeResource.Defaults, names);

    public static async Task<Clusters> StartAsync(ILoggerFactory loggerFactory, IReadOnlyList<FakeResource> resources, params string[] names)
    {
        var clusters = new Clusters(loggerFactory);
        foreach (var name in names)
        {
            var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { BookmarkInterval = TimeSpan.FromMilliseconds(500), Resources = resources });
            server.Store.AllocateClusterIPs = true;
            clusters._servers[name] = server;
        }

        return clusters;
    }

    /// <summary>Fast test settings: quick backoff, short lease timings; tweak per test.</summary>
    public ControllerSettings Settings(string identity = "controller-1") => new()
    {
        Members = [.. _servers.Select(s => new MemberSettings(s.Key) { Configuration = new KubernetesClientConfiguration { Server = s.Value.BaseAddress } })],
        WatcherOptions = new ResourceWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(300), IdleTimeout = TimeSpan.FromSeconds(30) },
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        RequestTimeout = TimeSpan.FromSeconds(5),
        LeaderElection = new LeaderElectionSettings
        {
            Identity = identity,
            Namespace = "kube-system",
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        },
    };

    public RunningController Start(ControllerSettings settings)
    {
        var controller = new RunningController(new SyncController(settings, LoggerFactory));
        _controllers.Add(controller);
        return controller;
    }

    public void Namespace(string cluster, string ns) =>
        this[cluster].Store.Create(FakeResource.Namespaces, $$$"""{"metadata":{"name":"{{{ns}}}"}}""");

    public void Service(string cluster, string ns, string name, string ports = """[{"name":"http","port":80,"protocol":"TCP"}]""", bool headless = false, string? type = null, string annotations = "{}")
    {
        var spec = new JsonObject { ["ports"] = JsonNode.Parse(ports), ["selector"] = new JsonObject { ["app"] = name } };
        if (headless)
        {
            spec["clusterIP"] = "None";
        }

        if (type is not null)
        {
            spec["type"] = type;
        }

        this[cluster].Store.Create(FakeResource.Services, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["annotations"] = JsonNode.Parse(annotations) },
            ["spec"] = spec,
        });
    }

    public void Export(string cluster, string ns, string name) =>
        this[cluster].Store.Create(FakeResource.ServiceExportsV1Alpha1, $$$"""{"metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"}}""");

    public void Unexport(string cluster, string ns, string name) =>
        this[cluster].Store.Delete(FakeResource.ServiceExportsV1Alpha1, ns, name);

    /// <summary>The Service's own slice (as kube's endpointslice controller would write it).</summary>
    public void Slice(string cluster, string ns, string service, string sliceName, string[] addresses, int port = 8080, string addressType = "IPv4", bool withHostnames = false)
    {
        var endpoints = new JsonArray();
        for (var i = 0; i < addresses.Length; i++)
        {
            var endpoint = new JsonObject
            {
                ["addresses"] = new JsonArray(addresses[i]),
                ["conditions"] = new JsonObject { ["ready"] = true, ["serving"] = true, ["terminating"] = false },
                ["nodeName"] = $"node-{i}",
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = $"{service}-{i}", ["namespace"] = ns },
            };
            if (withHostnames)
            {
                endpoint["hostname"] = $"{service}-{i}";
            }

            endpoints.Add(endpoint);
        }

        var slice = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = sliceName,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = service, ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io" },
            },
            ["addressType"] = addressType,
            ["endpoints"] = endpoints,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["protocol"] = "TCP" }),
        };
        if (this[cluster].Store.Get(FakeResource.EndpointSlices, ns, sliceName) is null)
        {
            this[cluster].Store.Create(FakeResource.EndpointSlices, slice);
        }
        else
        {
            this[cluster].Store.Update(FakeResource.EndpointSlices, slice);
        }
    }

    public JsonObject? Get(string cluster, FakeResource resource, string ns, string name) => this[cluster].Store.Get(resource, ns, name);

    public JsonObject? Import(string cluster, string ns, string name) => Get(cluster, FakeResource.ServiceImportsV1Alpha1, ns, name);

    public JsonObject? ExportObject(string cluster, string ns, string name) => Get(cluster, FakeResource.ServiceExportsV1Alpha1, ns, name);

    /// <summary>Slices labelled as mirrored for namespace/name (any writer).</summary>
    public List<JsonObject> MirroredSlices(string cluster, string ns, string name) =>
        [.. this[cluster].Store.List(FakeResource.EndpointSlices).Where(s => s["metadata"]?["namespace"]?.GetValue<string>() == ns && s["metadata"]?["labels"]?["multicluster.kubernetes.io/service-name"]?.GetValue<string>() == name)];

    /// <summary>Services labelled as ours (derived Services) in namespace.</summary>
    public List<JsonObject> DerivedServices(string cluster, string ns) =>
        [.. this[cluster].Store.List(FakeResource.Services).Where(s => s["metadata"]?["namespace"]?.GetValue<string>() == ns && s["metadata"]?["labels"]?["app.kubernetes.io/managed-by"]?.GetValue<string>() == "dnsmcs-controller")];

    public static string? Condition(JsonObject? export, string type, string field = "status") =>
        export?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?[field]?.GetValue<string>();

    /// <summary>Write requests (anything but GET) to a member's API, leases excluded.</summary>
    public int Writes(string cluster) => this[cluster].Requests.Count(r => !r.StartsWith("GET ", StringComparison.Ordinal) && !r.Contains("/leases", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var controller in _controllers)
        {
            await controller.DisposeAsync();
        }

        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>A controller running in the background until stopped or disposed.</summary>
internal sealed class RunningController : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public RunningController(SyncController controller)
    {
        Controller = controller;
        _run = Task.Run(() => controller.RunAsync(_stop.Token));
    }

    public SyncController Controller { get; }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Controller.Dispose();
        _stop.Dispose();
    }
}
