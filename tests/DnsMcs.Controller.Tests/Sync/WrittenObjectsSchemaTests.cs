using System.Text.Json;
using System.Text.Json.Nodes;
using DnsMcs.Controller.Leadership;
using DnsMcs.Controller.Sync;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;

namespace DnsMcs.Controller.Tests.Sync;

/// <summary>
/// Every object the controller sends, serialized exactly as the client sends it, against the schema the
/// real server checks it with (the OpenAPI a v1.32 server serves for built-in kinds, the shipped CRDs
/// for ServiceImport/ServiceExport): a field outside it fails server-side apply with a 500 on a real
/// server, so none may appear; and nothing the schema refuses (types, enums, required, maxItems).
/// </summary>
public sealed class WrittenObjectsSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 28, 9, TimeSpan.Zero);

    public static TheoryData<string> Objects => [.. Written().Keys];

    [Theory]
    [MemberData(nameof(Objects))]
    public void Serialize_WrittenObject_HasNoFieldOutsideTheSchema(string what)
    {
        var (type, body) = Written()[what];

        var undeclared = ObjectSchemas.Default.UndeclaredFields(type.Group, type.Version, type.Kind, body);
        var violations = ObjectSchemas.Default.Violations(type.Group, type.Version, type.Kind, body);

        Assert.Empty(undeclared);
        Assert.Empty(violations);
    }

    [Fact]
    public void Serialize_ObjectWithComputedKey_KeyStaysOutOfTheBody()
    {
        var import = new ServiceImport { Metadata = new ObjectMeta { Name = "web", Namespace = "shop" } };

        var body = Serialize(ResourceTypes.ServiceImports, import);

        Assert.Equal("shop/web", import.Key);
        Assert.False(body.ContainsKey("key"));
    }

    private static Dictionary<string, ((string Group, string Version, string Kind) Type, JsonObject Body)> Written()
    {
        var source = new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = "web-abcde", Namespace = "shop" },
            AddressType = "IPv4",
            Endpoints =
            [
                new Endpoint { Addresses = ["10.1.0.5"], Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false }, Hostname = "web-0", NodeName = "node-1", Zone = "a", TargetRef = new ObjectReference { Kind = "Pod", Name = "web-0", Namespace = "shop" } },
                new Endpoint { Addresses = ["10.1.0.6"] },
            ],
            Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP", AppProtocol = "http" }],
        };
        var service = new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "shop", CreationTimestamp = Now },
            Spec = new ServiceSpec { Type = "ClusterIP", ClusterIP = "10.96.0.10", Ports = [new ServicePort { Name = "http", Port = 80, Protocol = "TCP", AppProtocol = "http", TargetPort = "8080" }], SessionAffinity = "ClientIP" },
        };
        var merged = ServiceExportMerger.Merge([new ExportCandidate("cluster-a", new ServiceExport { Metadata = new ObjectMeta { Name = "web", Namespace = "shop", CreationTimestamp = Now } }, service)])!;
        var import = DesiredObjects.Import("shop", "web", merged, ["10.96.0.20", "fd00::20"], DerivedNames.Service("shop", "web"), ours: true);
        var created = new ServiceImport { Metadata = new ObjectMeta { Name = "web", Namespace = "shop", Uid = "aac2980a-c1a4-4d32-8e9e-c1ec774f5f63" } };
        var owner = DesiredObjects.OwnerOf(created, "multicluster.x-k8s.io/v1beta1");
        var export = new ServiceExport { Metadata = new ObjectMeta { Name = "web", Namespace = "shop", ResourceVersion = "214", Generation = 3 } };
        var conditions = ExportConditions.Merge(null, ExportConditions.Desired(null, [], withReady: true, generation: 3), Now)!;
        var conflicted = ExportConditions.Merge(null, ExportConditions.Desired(null, [new ExportConflict(ExportConflict.TypeConflict, "cluster-b exports web as Headless")], withReady: true, generation: 3), Now)!;
        var lease = LeaderElector.NewLease("dnsmcs-system", "dnsmcs-controller", "host_1234abcd", 15, Now);
        var released = LeaderElector.NewLease("dnsmcs-system", "dnsmcs-controller", string.Empty, 1, Now);
        released.Metadata.ResourceVersion = "300";

        var written = new Dictionary<string, ((string, string, string), JsonObject)>(StringComparer.Ordinal);
        foreach (var version in new[] { "v1alpha1", "v1beta1" })
        {
            var imports = ResourceTypes.ServiceImports.WithVersion(version);
            var exports = ResourceTypes.ServiceExports.WithVersion(version);
            written[$"ServiceImport {version} (apply)"] = (Type(imports), Serialize(imports, import));
            written[$"ServiceImport {version} headless (apply)"] = (Type(imports), Serialize(imports, DesiredObjects.Import("shop", "db", merged with { Type = ServiceImportTypes.Headless }, [], DerivedNames.Service("shop", "db"), ours: false)));
            written[$"ServiceExport {version} status (update)"] = (Type(exports), Serialize(exports, DesiredObjects.ExportStatus(export, conditions)));
            written[$"ServiceExport {version} conflict status (update)"] = (Type(exports), Serialize(exports, DesiredObjects.ExportStatus(export, conflicted)));
            written[$"ServiceExport {version} auto-export (create)"] = (Type(exports), Serialize(exports, DesiredObjects.AutoExport("shop", "web")));
        }

        written["Service derived (apply)"] = (Type(ResourceTypes.Services), Serialize(ResourceTypes.Services, DesiredObjects.DerivedService("shop", "web", DerivedNames.Service("shop", "web"), merged, owner)));
        written["EndpointSlice mirrored (apply)"] = (Type(ResourceTypes.EndpointSlices), Serialize(ResourceTypes.EndpointSlices, DesiredObjects.Mirror("shop", "web", DerivedNames.Service("shop", "web"), "cluster-a", source, new HashSet<string> { "10.1.0.6" }, owner)));
        written["Lease (create)"] = (Type(ResourceTypes.Leases), Serialize(ResourceTypes.Leases, lease));
        written["Lease released (update)"] = (Type(ResourceTypes.Leases), Serialize(ResourceTypes.Leases, released));
        return written;
    }

    private static (string, string, string) Type<T>(ResourceType<T> type)
        where T : KubernetesObject => (type.Descriptor.Group, type.Descriptor.Version, type.Kind);

    /// <summary>As the client sends it: apiVersion and kind stamped, the source-generated serializer.</summary>
    private static JsonObject Serialize<T>(ResourceType<T> type, T obj)
        where T : KubernetesObject
    {
        obj.ApiVersion = type.Descriptor.ApiVersion;
        obj.Kind = type.Kind;
        return JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(obj, type.TypeInfo))!.AsObject();
    }
}
