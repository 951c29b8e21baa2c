using System.Reflection;
using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// The OpenAPI v3 schemas the fake validates writes against, as a real API server does: the CRDs the
/// project ships (deploy/crds, embedded at build time) for custom resources, and for built-in kinds the
/// component schemas a v1.32 server serves (Schemas/builtin-schemas.json, extracted by Schemas/extract.py).
/// A custom resource's metadata is checked against the built-in ObjectMeta, as the server does.
/// </summary>
public sealed class ObjectSchemas
{
    private const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private readonly Dictionary<string, JsonObject> _components;
    private readonly Dictionary<(string Group, string Version, string Kind), JsonObject> _roots = [];

    private ObjectSchemas(Dictionary<string, JsonObject> components) => _components = components;

    /// <summary>The shipped CRDs and the recorded built-in schemas.</summary>
    public static ObjectSchemas Default { get; } = Load();

    /// <summary>The schema of one kind at one version; null when the fake has none (the kind is then not checked).</summary>
    public JsonObject? RootOf(string group, string version, string kind) => _roots.GetValueOrDefault((group, version, kind));

    public JsonObject? RootOf(FakeResource resource) => RootOf(resource.Group, resource.Version, resource.Kind);

    /// <summary>Paths of the fields of <paramref name="obj"/> its kind's schema does not declare (what server-side apply refuses).</summary>
    public IReadOnlyList<string> UndeclaredFields(string group, string version, string kind, JsonObject obj) =>
        SchemaCheck.UnknownFields(this, RootOf(group, version, kind) ?? throw new ArgumentException($"no schema for {group}/{version} {kind}", nameof(kind)), obj, prune: false);

    /// <summary>What the schema refuses in <paramref name="obj"/> (types, enums, required fields, maxItems...).</summary>
    public IReadOnlyList<FieldCause> Violations(string group, string version, string kind, JsonObject obj) =>
        SchemaCheck.Validate(this, RootOf(group, version, kind) ?? throw new ArgumentException($"no schema for {group}/{version} {kind}", nameof(kind)), obj);

    /// <summary>Follows $ref and a single-element allOf (how the server's OpenAPI wraps references) to the schema itself.</summary>
    internal JsonObject Resolve(JsonObject schema)
    {
        for (var i = 0; i < 16; i++)
        {
            var reference = schema["$ref"]?.GetValue<string>()
                ?? (schema["allOf"] is JsonArray { Count: 1 } all ? all[0]?["$ref"]?.GetValue<string>() : null);
            if (reference is null)
            {
                return schema;
            }

            schema = _components[reference[(reference.LastIndexOf('/') + 1)..]];
        }

        throw new InvalidOperationException("schema references loop");
    }

    private static ObjectSchemas Load()
    {
        var assembly = typeof(ObjectSchemas).Assembly;
        using var builtInStream = assembly.GetManifestResourceStream("builtin-schemas.json") ?? throw new InvalidOperationException("builtin-schemas.json is not embedded");
        var components = JsonNode.Parse(builtInStream)!["schemas"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsObject(), StringComparer.Ordinal);
        var schemas = new ObjectSchemas(components);
        foreach (var (name, schema) in components)
        {
            if (schema["x-kubernetes-group-version-kind"] is JsonArray gvks)
            {
                foreach (var gvk in gvks)
                {
                    schemas._roots[(gvk!["group"]!.GetValue<string>(), gvk["version"]!.GetValue<string>(), gvk["kind"]!.GetValue<string>())] = schema;
                }
            }
        }

        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("crds/", StringComparison.Ordinal)))
        {
            schemas.AddCrd(assembly, resource);
        }

        return schemas;
    }

    private void AddCrd(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        foreach (var crd in YamlJson.Documents(reader.ReadToEnd()))
        {
            if (crd["kind"]?.GetValue<string>() != "CustomResourceDefinition")
            {
                continue;
            }

            var group = crd["spec"]!["group"]!.GetValue<string>();
            var kind = crd["spec"]!["names"]!["kind"]!.GetValue<string>();
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                if (version?["served"]?.GetValue<bool>() != true || version["schema"]?["openAPIV3Schema"] is not JsonObject schema)
                {
                    continue;
                }

                var root = (JsonObject)schema.DeepClone();
                if (root["properties"] is JsonObject properties)
                {
                    properties["metadata"] = new JsonObject { ["$ref"] = "#/components/schemas/" + ObjectMeta };
                }

                _roots[(group, version["name"]!.GetValue<string>(), kind)] = root;
            }
        }
    }
}
