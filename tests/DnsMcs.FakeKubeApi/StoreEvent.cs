using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>One change in the store's history (or a marker for one watch: a bookmark to send, a cut to perform).</summary>
internal sealed record StoreEvent(long ResourceVersion, string StoreKey, string Type, JsonObject? Object, JsonObject? OldObject)
{
    public const string Bookmark = "BOOKMARK";
    public const string Cut = "CUT";
}
