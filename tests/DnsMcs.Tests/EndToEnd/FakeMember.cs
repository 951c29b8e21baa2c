using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;

namespace DnsMcs.Tests.EndToEnd;

/// <summary>
/// One member cluster for process-level tests: a fake API server that allocates ClusterIPs, its kubeconfig in a temp
/// file for the dnsmcs process, and the objects a user or kube's own controllers would create, written to its store.
/// </summary>
internal sealed class FakeMember : IAsyncDisposable
{
    // The controller's labels (DnsMcs.Controller's McsLabels, internal there): the contract these tests check.
    private const string ServiceNameLabel = "multicluster.kubernetes.io/service-name";
    private const string ManagedByLabel = "app.kubernetes.io/managed-by";
    private const string ControllerName = "dnsmcs-controller";
    private const string ServiceImportAnnotation = "multicluster.kubernetes.io/service-import-name";

    private readonly string _directory;

    private FakeMember(FakeKubeApiServer server, string directory)
    {
        Server = server;
        _directory = directory;
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(KubeconfigPath, server.Kubeconfig());
    }

    public FakeKubeApiServer Server { get; }

    public FakeObjectStore Store => Server.Store;

    public string KubeconfigPath { get; }

    /// <param name="resources">What the member serves; default: FakeResource.Defaults (the MCS API at v1alpha1).</param>
    public static async Task<FakeMember> StartAsync(IReadOnlyList<FakeResource>? resources = null)
    {
        var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { BookmarkInterval = TimeSpan.FromSeconds(1), Resources = resources ?? FakeResource.Defaults });
        server.Store.AllocateClusterIPs = true;
        var directory = Path.Combine(Path.GetTempPath(), $"dnsmcs-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return new FakeMember(server, directory);
    }

    public void Namespace(string ns) => Store.Create(FakeResource.Namespaces, $$$"""{"metadata":{"name":"{{{ns}}}"}}""");

    /// <summary>
    /// A Service with one TCP port 80 named http; its ClusterIP (none when headless): <paramref name="clusterIp"/>, else
    /// the fake's next one (every fake starts from the same address, so give one when two members must differ).
    /// </summary>
    public string? Service(string ns, string name, bool headless = false, string? clusterIp = null)
    {
        var spec = new JsonObject
        {
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["protocol"] = "TCP" }),
            ["selector"] = new JsonObject { ["app"] = name },
        };
        if (headless || clusterIp is not null)
        {
            spec["clusterIP"] = headless ? "None" : clusterIp;
        }

        var created = Store.Create(FakeResource.Services, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        });
        var allocated = created["spec"]?["clusterIP"]?.GetValue<string>();
        return allocated == "None" ? null : allocated;
    }

    public void Export(string ns, string name) =>
        Store.Create(FakeResource.ServiceExportsV1Alpha1, $$$"""{"metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"}}""");

    /// <summary>The Service's own EndpointSlice, as kube's endpointslice controller writes it; pods named service-0, service-1...</summary>
    public void Slice(string ns, string service, string sliceName, IReadOnlyList<string> addresses, bool withHostnames = false)
    {
        var endpoints = new JsonArray();
        for (var i = 0; i < addresses.Count; i++)
        {
            var endpoint = new JsonObject
            {
                ["addresses"] = new JsonArray(addresses[i]),
                ["conditions"] = new JsonObject { ["ready"] = true, ["serving"] = true, ["terminating"] = false },
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = $"{service}-{i}", ["namespace"] = ns },
            };
            if (withHostnames)
            {
                endpoint["hostname"] = $"{service}-{i}";
            }

            endpoints.Add(endpoint);
        }

        Store.Create(FakeResource.EndpointSlices, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = sliceName,
                ["namespace"] = ns,
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/service-name"] = service,
                    ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
                },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = endpoints,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
        });
    }

    /// <summary>What a controller writes into a member in distributed mode: a ServiceImport and its MCS EndpointSlice.</summary>
    public void ImportWithSlice(string ns, string name, string ip, string sourceCluster, IReadOnlyList<string> addresses)
    {
        Store.Create(FakeResource.ServiceImportsV1Alpha1, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterSetIP",
                ["ips"] = new JsonArray(ip),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["protocol"] = "TCP" }),
            },
        });
        Store.Create(FakeResource.EndpointSlices, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{name}-{sourceCluster}",
                ["namespace"] = ns,
                ["labels"] = new JsonObject { [ServiceNameLabel] = name, ["multicluster.kubernetes.io/source-cluster"] = sourceCluster },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray([.. addresses.Select(address => new JsonObject
            {
                ["addresses"] = new JsonArray(address),
                ["conditions"] = new JsonObject { ["ready"] = true },
            })]),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
        });
    }

    public void DeleteImportWithSlice(string ns, string name, string sourceCluster)
    {
        Store.Delete(FakeResource.EndpointSlices, ns, $"{name}-{sourceCluster}");
        Store.Delete(FakeResource.ServiceImportsV1Alpha1, ns, name);
    }

    public JsonObject? Import(string ns, string name) => Store.Get(FakeResource.ServiceImportsV1Alpha1, ns, name);

    /// <summary>EndpointSlices labelled for the MCS service namespace/name (mirrored by a controller, or written by hand).</summary>
    public List<JsonObject> McsSlices(string ns, string name) =>
        [.. Store.List(FakeResource.EndpointSlices).Where(slice =>
            slice["metadata"]?["namespace"]?.GetValue<string>() == ns
            && slice["metadata"]?["labels"]?[ServiceNameLabel]?.GetValue<string>() == name)];

    /// <summary>The ClusterIP of the Service the controller derived for the import namespace/name, if it exists yet.</summary>
    public string? DerivedClusterIp(string ns, string name) =>
        Store.List(FakeResource.Services)
            .Where(service => service["metadata"]?["namespace"]?.GetValue<string>() == ns
                && service["metadata"]?["labels"]?[ManagedByLabel]?.GetValue<string>() == ControllerName
                && service["metadata"]?["annotations"]?[ServiceImportAnnotation]?.GetValue<string>() == name)
            .Select(service => service["spec"]?["clusterIP"]?.GetValue<string>())
            .FirstOrDefault();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
