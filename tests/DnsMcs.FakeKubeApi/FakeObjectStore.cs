using System.Globalization;
using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// The fake's etcd and watch cache in one: objects per resource, one global resourceVersion that
/// grows with every write, and a bounded history of changes that watches replay from. Events
/// older than the history window are compacted; asking for them is 410 Gone.
/// Every method is thread-safe; tests call them directly to seed or change state.
/// </summary>
public sealed partial class FakeObjectStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly List<WatchSubscription> _subscriptions = [];
    private long _resourceVersion;
    private long _compactedThrough;

    public FakeObjectStore(long initialResourceVersion = 1000, int maxHistory = 10_000)
    {
        _resourceVersion = initialResourceVersion;
        _compactedThrough = initialResourceVersion;
        MaxHistory = maxHistory;
    }

    /// <summary>How many changes the history keeps before compacting the oldest.</summary>
    public int MaxHistory { get; set; }

    /// <summary>
    /// The schemas every write is validated against (422 with causes, as the real server); null turns
    /// schema validation off. Built-in rules (names, labels, slices, ports) apply regardless.
    /// </summary>
    public ObjectSchemas? Schemas { get; set; } = ObjectSchemas.Default;

    /// <summary>A namespaced object can only be created in a Namespace that exists (404 otherwise, as the real server).</summary>
    public bool RequireNamespaces { get; set; } = true;

    /// <summary>Creates the Namespace if it does not exist yet (what kubectl create namespace does, for seeding tests).</summary>
    public void EnsureNamespace(string ns)
    {
        lock (_lock)
        {
            if (!Objects(FakeResource.Namespaces).ContainsKey(ns))
            {
                Create(FakeResource.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
            }
        }
    }

    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Watches from at or after this version replay fine; older ones get 410 Gone.</summary>
    public long CompactedThrough
    {
        get
        {
            lock (_lock)
            {
                return _compactedThrough;
            }
        }
    }

    internal int SubscriptionCount
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    public JsonObject Create(FakeResource resource, JsonObject obj)
    {
        lock (_lock)
        {
            var (ns, name) = Identity(resource, obj, generateName: true);
            var objects = Objects(resource);
            var key = Key(ns, name);
            if (resource.Namespaced && RequireNamespaces && !Objects(FakeResource.Namespaces).ContainsKey(ns))
            {
                throw FakeApiException.NamespaceNotFound(ns);
            }

            if (objects.ContainsKey(key))
            {
                throw FakeApiException.AlreadyExists(resource, name);
            }

            var stored = (JsonObject)obj.DeepClone();
            var meta = Metadata(stored);
            meta["name"] = name;
            if (resource.Namespaced)
            {
                meta["namespace"] = ns;
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            meta["generation"] = 1L;
            stored["apiVersion"] = resource.GroupVersion;
            stored["kind"] = resource.Kind;
            AllocateClusterIp(resource, stored);
            Validate(resource, stored);
            Commit(resource, key, "ADDED", stored, null);
            return (JsonObject)stored.DeepClone();
        }
    }

    public JsonObject Create(FakeResource resource, string json) => Create(resource, ParseObject(json));

    /// <summary>PUT semantics: a non-empty metadata.resourceVersion must be current (else 409 Conflict).</summary>
    public JsonObject Update(FakeResource resource, JsonObject obj, bool statusOnly = false)
    {
        lock (_lock)
        {
            var (ns, name) = Identity(resource, obj, generateName: false);
            var key = Key(ns, name);
            if (!Objects(resource).TryGetValue(key, out var current))
            {
                throw FakeApiException.NotFound(resource, name);
            }

            var expected = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(expected) && expected != Metadata(current)["resourceVersion"]!.GetValue<string>())
            {
                throw FakeApiException.Conflict(resource, name);
            }

            JsonObject next;
            if (statusOnly)
            {
                next = (JsonObject)current.DeepClone();
                SetStatus(next, obj["status"]);
            }
            else
            {
                next = (JsonObject)obj.DeepClone();

                // Server-owned metadata survives a PUT; with a status subresource, so does status.
                var meta = Metadata(next);
                foreach (var field in (string[])["uid", "creationTimestamp", "generation"])
                {
                    meta[field] = current["metadata"]![field]?.DeepClone();
                }

                if (resource.HasStatusSubresource)
                {
                    SetStatus(next, current["status"]);
                }

                BumpGenerationIfSpecChanged(current, next);
            }

            return Write(resource, key, next, current);
        }
    }

    public JsonObject Update(FakeResource resource, string json) => Update(resource, ParseObject(json));

    /// <summary>JSON merge patch (RFC 7386).</summary>
    public JsonObject Patch(FakeResource resource, string? ns, string name, JsonObject patch, bool statusOnly = false) => Patch(resource, ns, name, patch, statusOnly, strategic: false);

    /// <summary>A merge patch, or (<paramref name="strategic"/>) kubectl's strategic merge patch, approximated.</summary>
    public JsonObject Patch(FakeResource resource, string? ns, string name, JsonObject patch, bool statusOnly, bool strategic)
    {
        Func<JsonNode?, JsonNode?, JsonNode?> merge = strategic ? StrategicMergePatch : MergePatch;
        lock (_lock)
        {
            var key = Key(resource.Namespaced ? ns ?? string.Empty : string.Empty, name);
            if (!Objects(resource).TryGetValue(key, out var current))
            {
                throw FakeApiException.NotFound(resource, name);
            }

            var next = (JsonObject)current.DeepClone();
            if (statusOnly)
            {
                SetStatus(next, merge(next["status"], patch["status"]));
            }
            else
            {
                next = (JsonObject)merge(next, patch)!;
                if (resource.HasStatusSubresource)
                {
                    SetStatus(next, current["status"]);
                }

                BumpGenerationIfSpecChanged(current, next);
            }

            Metadata(next)["name"] = name;
            return Write(resource, key, next, current);
        }
    }

    /// <summary>Server-side apply, simplified: create, or merge the applied fields (field ownership is not tracked).</summary>
    public JsonObject Apply(FakeResource resource, JsonObject obj)
    {
        lock (_lock)
        {
            var (ns, name) = Identity(resource, obj, generateName: false);
            if (!Objects(resource).ContainsKey(Key(ns, name)))
            {
                return Create(resource, obj);
            }

            var patch = (JsonObject)obj.DeepClone();
            if (patch["metadata"] is JsonObject meta)
            {
                meta.Remove("resourceVersion");
            }

            return Patch(resource, ns, name, patch);
        }
    }

    public JsonObject? Get(FakeResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            return Objects(resource).TryGetValue(Key(resource.Namespaced ? ns ?? string.Empty : string.Empty, name), out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    public IReadOnlyList<JsonObject> List(FakeResource resource)
    {
        lock (_lock)
        {
            return [.. Objects(resource).Values.Select(o => (JsonObject)o.DeepClone())];
        }
    }

    public bool Delete(FakeResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            var key = Key(resource.Namespaced ? ns ?? string.Empty : string.Empty, name);
            if (!Objects(resource).Remove(key, out var current))
            {
                return false;
            }

            // The DELETED event carries the last state at the deletion's resourceVersion.
            var final = (JsonObject)current.DeepClone();
            Commit(resource, key, "DELETED", final, current, remove: true);
            return true;
        }
    }

    /// <summary>Drops all history: every watch or continue token before now is 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    /// <summary>Moves the resourceVersion forward without a change (as after an etcd restore or writes to other resources).</summary>
    public void AdvanceResourceVersion(long by)
    {
        lock (_lock)
        {
            _resourceVersion += by;
        }
    }

    internal (long ResourceVersion, List<JsonObject> Items) Snapshot(FakeResource resource)
    {
        lock (_lock)
        {
            return (_resourceVersion, [.. Objects(resource).Values]);
        }
    }

    internal void EnsureNotCompacted(long resourceVersion, string what)
    {
        lock (_lock)
        {
            if (resourceVersion < _compactedThrough)
            {
                throw FakeApiException.Expired(what);
            }
        }
    }

    /// <summary>
    /// Opens a watch. Returns the events to send first (replayed history, or the current objects
    /// as ADDED when <paramref name="initialState"/>) and registers the subscription under the
    /// same lock, so no change falls between the two. Null when <paramref name="fromVersion"/> is compacted.
    /// </summary>
    internal (WatchSubscription Subscription, List<StoreEvent> First, long ResourceVersion)? Subscribe(FakeResource resource, long? fromVersion, bool initialState)
    {
        lock (_lock)
        {
            var first = new List<StoreEvent>();
            if (initialState || fromVersion is null)
            {
                foreach (var obj in Objects(resource).Values)
                {
                    first.Add(new StoreEvent(_resourceVersion, resource.StoreKey, "ADDED", obj, null));
                }
            }
            else
            {
                if (fromVersion.Value < _compactedThrough)
                {
                    return null;
                }

                first.AddRange(_history.Where(e => e.ResourceVersion > fromVersion.Value && e.StoreKey == resource.StoreKey));
            }

            var subscription = new WatchSubscription(resource.StoreKey);
            _subscriptions.Add(subscription);
            return (subscription, first, _resourceVersion);
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>Queues a bookmark behind every change already queued, so its resourceVersion never runs ahead of them.</summary>
    internal void QueueBookmark(WatchSubscription subscription)
    {
        lock (_lock)
        {
            subscription.Events.Writer.TryWrite(new StoreEvent(_resourceVersion, subscription.StoreKey, StoreEvent.Bookmark, null, null));
        }
    }

    internal List<WatchSubscription> Subscriptions()
    {
        lock (_lock)
        {
            return [.. _subscriptions];
        }
    }

    private static void SetStatus(JsonObject obj, JsonNode? status)
    {
        // No status stays absent rather than becoming "status": null.
        if (status is null)
        {
            obj.Remove("status");
        }
        else
        {
            obj["status"] = status.DeepClone();
        }
    }

    private static void BumpGenerationIfSpecChanged(JsonObject current, JsonObject next)
    {
        var before = current.DeepClone().AsObject();
        var after = next.DeepClone().AsObject();
        foreach (var o in new[] { before, after })
        {
            o.Remove("metadata");
            o.Remove("status");
        }

        var generation = current["metadata"]?["generation"] is JsonValue g && long.TryParse(g.ToJsonString(), CultureInfo.InvariantCulture, out var parsed) ? parsed : 1;
        Metadata(next)["generation"] = JsonNode.DeepEquals(before, after) ? generation : generation + 1;
    }

    /// <summary>The server's validation of a whole object about to be stored: schema, then built-in rules; 422 with every cause.</summary>
    internal void Validate(FakeResource resource, JsonObject obj)
    {
        var causes = new List<FieldCause>();
        if (Schemas?.RootOf(resource) is { } schema)
        {
            causes.AddRange(SchemaCheck.Validate(Schemas, schema, obj));
        }

        causes.AddRange(BuiltInValidation.Validate(resource, obj));
        if (causes.Count > 0)
        {
            throw FakeApiException.Invalid(resource, obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty, causes);
        }
    }

    private JsonObject Write(FakeResource resource, string key, JsonObject next, JsonObject current)
    {
        next["apiVersion"] = resource.GroupVersion;
        next["kind"] = resource.Kind;
        Validate(resource, next);
        var compare = (JsonObject)next.DeepClone();
        Metadata(compare)["resourceVersion"] = current["metadata"]!["resourceVersion"]!.GetValue<string>();
        if (JsonNode.DeepEquals(compare, current))
        {
            // A write that changes nothing does not move the resourceVersion (as the real server).
            return (JsonObject)current.DeepClone();
        }

        Commit(resource, key, "MODIFIED", next, current);
        return (JsonObject)next.DeepClone();
    }

    private void Commit(FakeResource resource, string key, string type, JsonObject obj, JsonObject? old, bool remove = false)
    {
        _resourceVersion++;
        Metadata(obj)["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        if (!remove)
        {
            Objects(resource)[key] = obj;
        }

        // Watches read this object from their own threads: build every node now, since a JsonObject
        // parsed from text fills its children lazily and that is not safe to race.
        Materialize(obj);
        var change = new StoreEvent(_resourceVersion, resource.StoreKey, type, obj, old);
        _history.AddLast(change);
        while (_history.Count > MaxHistory)
        {
            _compactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        foreach (var subscription in _subscriptions)
        {
            if (subscription.StoreKey == resource.StoreKey)
            {
                subscription.Events.Writer.TryWrite(change);
            }
        }
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Materialize(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Materialize(child);
                }

                break;
        }
    }

    private SortedDictionary<string, JsonObject> Objects(FakeResource resource)
    {
        if (!_objects.TryGetValue(resource.StoreKey, out var objects))
        {
            objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[resource.StoreKey] = objects;
        }

        return objects;
    }

    private static (string Namespace, string Name) Identity(FakeResource resource, JsonObject obj, bool generateName)
    {
        var meta = obj["metadata"] as JsonObject ?? throw FakeApiException.Invalid("metadata is required");
        var name = meta["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) && generateName && meta["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            name = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        if (string.IsNullOrEmpty(name))
        {
            throw FakeApiException.Invalid($"{resource.Kind} \"\" is invalid: metadata.name: Required value: name or generateName is required");
        }

        var ns = resource.Namespaced ? meta["namespace"]?.GetValue<string>() ?? "default" : string.Empty;
        return (ns, name);
    }

    private static string Key(string ns, string name) => ns.Length == 0 ? name : $"{ns}/{name}";

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = [];
            obj["metadata"] = meta;
        }

        return meta;
    }

    private static JsonObject ParseObject(string json) => JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("not a JSON object", nameof(json));

    /// <summary>
    /// Strategic merge patch, approximated without the schema's merge keys: objects merge as in
    /// a merge patch; a list with a $setElementOrder directive (what kubectl apply sends for
    /// keyed lists such as Service ports) is rebuilt in that order from the patch's and the
    /// current elements; any other list is replaced, minus "$patch": "delete" elements.
    /// </summary>
    internal static JsonNode? StrategicMergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is JsonArray list)
        {
            return new JsonArray([.. list.Where(e => e?["$patch"] is null).Select(e => e?.DeepClone())]);
        }

        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (name.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonArray patchList && patchObject[$"$setElementOrder/{name}"] is JsonArray order)
            {
                var current = result[name] as JsonArray ?? [];
                var rebuilt = new JsonArray();
                foreach (var wanted in order.OfType<JsonObject>())
                {
                    var original = current.OfType<JsonObject>().FirstOrDefault(e => Contains(e, wanted));
                    var change = patchList.OfType<JsonObject>().FirstOrDefault(e => e["$patch"] is null && Contains(e, wanted));
                    rebuilt.Add(change is null ? original?.DeepClone() ?? wanted.DeepClone() : StrategicMergePatch(original, change));
                }

                result[name] = rebuilt;
            }
            else
            {
                result[name] = StrategicMergePatch(result[name], value);
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="element"/> has every field of <paramref name="key"/> (the merge key fields kubectl sends).</summary>
    private static bool Contains(JsonObject element, JsonObject key) =>
        key.All(k => JsonNode.DeepEquals(element[k.Key], k.Value));

    internal static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = MergePatch(result[name], value);
            }
        }

        return result;
    }
}
