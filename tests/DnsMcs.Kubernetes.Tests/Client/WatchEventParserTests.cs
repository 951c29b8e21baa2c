using System.Text;
using System.Text.Json;
using DnsMcs.Kubernetes.Client;

namespace DnsMcs.Kubernetes.Tests.Client;

public sealed class WatchEventParserTests
{
    public static TheoryData<string, WatchEventType, string?, string?, bool> Lines => new()
    {
        // line, type, object key, resourceVersion, initial-events-end
        { """{"type":"ADDED","object":{"kind":"ServiceImport","metadata":{"name":"a","namespace":"ns","resourceVersion":"5"},"spec":{"type":"Headless"}}}""", WatchEventType.Added, "ns/a", "5", false },
        { """{"object":{"metadata":{"name":"a","namespace":"ns","resourceVersion":"6"}},"type":"MODIFIED"}""", WatchEventType.Modified, "ns/a", "6", false },
        { """{"type":"DELETED","object":{"metadata":{"name":"c","resourceVersion":"7"}},"extra":[1,{"x":2}]}""", WatchEventType.Deleted, "c", "7", false },
        // A bookmark is a skeleton; a spec that is not a ServiceImport spec must not matter.
        { """{"type":"BOOKMARK","object":{"kind":"ServiceImport","metadata":{"resourceVersion":"8"},"spec":"not-an-object"}}""", WatchEventType.Bookmark, null, "8", false },
        { """{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9","annotations":{"k8s.io/initial-events-end":"true"}}}}""", WatchEventType.Bookmark, null, "9", true },
        { """{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (5)"}}""", WatchEventType.Error, null, null, false },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Parse_WatchLine_GivesTypeObjectAndVersion(string line, WatchEventType type, string? key, string? version, bool initialEventsEnd)
    {
        var parsed = WatchEventParser.Parse(Encoding.UTF8.GetBytes(line), ResourceTypes.ServiceImports, 42);

        Assert.Equal(type, parsed.Type);
        Assert.Equal(key, parsed.Object?.Key);
        Assert.Equal(version, parsed.ResourceVersion);
        Assert.Equal(initialEventsEnd, parsed.IsInitialEventsEnd);
        Assert.Equal(42, parsed.ArrivedAt);
        if (type == WatchEventType.Error)
        {
            Assert.Equal(410, parsed.Error!.Code);
            Assert.Equal("Expired", parsed.Error.Reason);
        }
    }

    [Theory]
    [InlineData("""{"type":"SURPRISE","object":{}}""")]
    [InlineData("""{"object":{"metadata":{}}}""")]
    [InlineData("""{"type":"ADDED"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"ADDED","object":{"metadata":{"name":"a"}""")]
    public void Parse_MalformedLine_ThrowsJsonException(string line)
    {
        Assert.ThrowsAny<JsonException>(() => WatchEventParser.Parse(Encoding.UTF8.GetBytes(line), ResourceTypes.ServiceImports, 0));
    }
}
