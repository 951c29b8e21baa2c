using DnsMcs.Tests.Configuration;
using DnsMcs.Tests.Metrics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace DnsMcs.Tests.Deploy;

/// <summary>The objects `kubectl kustomize deploy/&lt;variant&gt;` renders, as plain dictionaries and lists.</summary>
internal sealed class RenderedManifests
{
    private RenderedManifests(List<Dictionary<object, object>> objects) => Objects = objects;

    public List<Dictionary<object, object>> Objects { get; }

    /// <summary>Renders a variant with kubectl; the tests that call this are skipped when kubectl is not installed.</summary>
    public static RenderedManifests Render(string variant)
    {
        var kubectl = ExternalTool.Find("kubectl") ?? throw new InvalidOperationException("kubectl is not on PATH");
        var root = CorefileParserTests.RepositoryRoot();
        var (exit, output, error) = ExternalTool.Run(kubectl, $"kustomize deploy/{variant}", workingDirectory: root);
        Assert.True(exit == 0, $"kubectl kustomize deploy/{variant} failed ({exit}): {error}");
        return new RenderedManifests(ParseDocuments(output));
    }

    public IEnumerable<Dictionary<object, object>> OfKind(string kind) =>
        Objects.Where(o => Str(o, "kind") == kind);

    public Dictionary<object, object> Single(string kind, string? name = null) =>
        Assert.Single(OfKind(kind), o => name is null || Str(o, "metadata", "name") == name);

    public static object? Get(object? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (Dictionary<object, object> map, string key) => map.GetValueOrDefault(key),
                (List<object> list, int index) => index < list.Count ? list[index] : null,
                _ => null,
            };
        }

        return node;
    }

    public static string? Str(object? node, params object[] path) => Get(node, path) as string;

    public static List<object> List(object? node, params object[] path) => Get(node, path) as List<object> ?? [];

    public static List<string> Strings(object? node, params object[] path) => [.. List(node, path).Cast<string>()];

    private static List<Dictionary<object, object>> ParseDocuments(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = deserializer.Deserialize<Dictionary<object, object>>(parser);
            if (document is not null)
            {
                documents.Add(document);
            }
        }

        return documents;
    }
}
