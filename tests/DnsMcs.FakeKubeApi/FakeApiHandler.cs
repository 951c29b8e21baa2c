using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// The HTTP side of the fake. One request:
/// 1. log it; apply the response delay and any injected failure;
/// 2. authenticate (bearer token or a client certificate from our CA), else 401;
/// 3. route: /version, discovery (/api, /apis, /apis/G/V), or a resource path
///    /api/v1|/apis/G/V [/namespaces/NS] /PLURAL [/NAME [/status]];
/// 4. authorize the verb against <see cref="FakeKubeApiServer.Rbac"/> when set, else 403;
/// 5. decode a body against the kind's schema: server-side apply with a field outside it is the real
///    500; otherwise unknown fields are 400 with fieldValidation=Strict, else pruned with a Warning header;
/// 6. run the verb against the store (which validates what it stores: 404 for a missing namespace,
///    422 with causes, 409); refusals become Status bodies.
/// </summary>
internal sealed class FakeApiHandler(FakeKubeApiServer server, FakeKubeApiOptions options)
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var line = $"{request.Method} {request.Path}{request.QueryString}";
        server.Requests.Enqueue(line);
        server.OnRequest?.Invoke(line);
        try
        {
            if (server.ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(server.ResponseDelay, context.RequestAborted);
            }

            if (server.PendingFailures.TryDequeue(out var failure))
            {
                throw new FakeApiException(failure, ReasonFor(failure), $"injected failure {failure}");
            }

            var user = Authenticate(context);
            await RouteAsync(context, user);
        }
        catch (FakeApiException e)
        {
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context.Response, e.Code, FailureStatus(e.Code, e.Reason, e.Message, e.Details));
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        _ => "InternalError",
    };

    /// <summary>The user: the bearer token itself, a client certificate's common name, or system:anonymous.</summary>
    private string Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        var certificate = context.Connection.ClientCertificate;
        if (!server.RequiresAuthentication)
        {
            return token ?? certificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false) ?? "system:anonymous";
        }

        if (token is not null && server.AcceptedTokens.ContainsKey(token))
        {
            return token;
        }

        if (certificate is not null && server.CertificateAuthority?.Issued(certificate) == true)
        {
            return certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
        }

        throw new FakeApiException(401, "Unauthorized", "Unauthorized");
    }

    private async Task RouteAsync(HttpContext context, string user)
    {
        var segments = context.Request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(context.Response, 200, new JsonObject { ["major"] = "1", ["minor"] = "33", ["gitVersion"] = "v1.33.0-fake", ["platform"] = "linux/amd64" });
                return;
            case ["api"]:
                await WriteJsonAsync(context.Response, 200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
                return;
            case ["apis"]:
                await WriteJsonAsync(context.Response, 200, GroupList());
                return;
            case ["api", var version]:
                await WriteResourceListAsync(context, string.Empty, version);
                return;
            case ["apis", var group, var version]:
                await WriteResourceListAsync(context, group, version);
                return;
            case ["api", var version, .. var rest]:
                await HandleResourceAsync(context, user, string.Empty, version, rest);
                return;
            case ["apis", var group, var version, .. var rest]:
                await HandleResourceAsync(context, user, group, version, rest);
                return;
            default:
                throw new FakeApiException(404, "NotFound", "the server could not find the requested resource");
        }
    }

    private JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var group in options.Resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group))
        {
            // The newest version first, as the server's preferred version.
            var versions = group.Select(r => r.Version).Distinct().OrderByDescending(v => v, StringComparer.Ordinal).ToList();
            groups.Add(new JsonObject
            {
                ["name"] = group.Key,
                ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group.Key}/{v}", ["version"] = v })]),
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group.Key}/{versions[0]}", ["version"] = versions[0] },
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private async Task WriteResourceListAsync(HttpContext context, string group, string version)
    {
        var served = options.Resources.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal).ToList();
        if (served.Count == 0)
        {
            throw new FakeApiException(404, "NotFound", "the server could not find the requested resource");
        }

        var resources = new JsonArray();
        foreach (var r in served)
        {
            // In the order the real server lists them: built-in kinds sorted, custom resources as the CRD handler does.
            var verbs = r.IsBuiltIn
                ? new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
                : new JsonArray("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch");
            var resource = new JsonObject { ["name"] = r.Plural, ["singularName"] = r.Kind.ToLowerInvariant(), ["namespaced"] = r.Namespaced, ["kind"] = r.Kind, ["verbs"] = verbs };
            if (r.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray([.. r.ShortNames.Select(n => (JsonNode)n)]);
            }

            resources.Add(resource);
            if (r.HasStatusSubresource)
            {
                resources.Add(new JsonObject { ["name"] = r.Plural + "/status", ["singularName"] = string.Empty, ["namespaced"] = r.Namespaced, ["kind"] = r.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }
        }

        await WriteJsonAsync(context.Response, 200, new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = served[0].GroupVersion, ["resources"] = resources });
    }

    private async Task HandleResourceAsync(HttpContext context, string user, string group, string version, string[] rest)
    {
        // Decide between /namespaces/NS/PLURAL... and /PLURAL... ("namespaces" is itself a resource).
        string? ns = null;
        if (rest is ["namespaces", var maybeNs, var plural, ..] && Find(group, version, plural) is { Namespaced: true })
        {
            ns = maybeNs;
            rest = rest[2..];
        }

        var resource = Find(group, version, rest[0]) ?? throw new FakeApiException(404, "NotFound", "the server could not find the requested resource");
        var name = rest.Length > 1 ? rest[1] : null;
        var status = rest.Length > 2 && rest[2] == "status";
        if (rest.Length > 3 || (rest.Length == 3 && !status) || (status && !resource.HasStatusSubresource))
        {
            throw new FakeApiException(404, "NotFound", "the server could not find the requested resource");
        }

        var method = context.Request.Method;
        var query = context.Request.Query;
        Authorize(user, method, query, resource, ns, name, status);
        if (name is null)
        {
            switch (method)
            {
                case "GET" when query["watch"] is ["true" or "1"]:
                    await new WatchResponder(server, resource, ns, context).RunAsync();
                    return;
                case "GET":
                    await ListAsync(context, resource, ns);
                    return;
                case "POST":
                    var body = await ReadObjectAsync(context);
                    Decode(context, resource, body);
                    SetNamespace(resource, body, ns);
                    await WriteJsonAsync(context.Response, 201, Versioned(server.Store.Create(resource, body), resource));
                    return;
                default:
                    throw new FakeApiException(405, "MethodNotAllowed", $"method {method} not allowed on a collection");
            }
        }

        switch (method)
        {
            case "GET":
                var found = server.Store.Get(resource, ns, name) ?? throw FakeApiException.NotFound(resource, name);
                await WriteJsonAsync(context.Response, 200, Versioned(found, resource));
                return;
            case "PUT":
                var body = await ReadObjectAsync(context);
                Decode(context, resource, body);
                SetNamespace(resource, body, ns);
                if (body["metadata"]?["name"]?.GetValue<string>() != name)
                {
                    throw FakeApiException.BadRequest("the name of the object does not match the name on the URL");
                }

                await WriteJsonAsync(context.Response, 200, Versioned(server.Store.Update(resource, body, status), resource));
                return;
            case "PATCH":
                await PatchAsync(context, resource, ns, name, status);
                return;
            case "DELETE":
                var last = server.Store.Get(resource, ns, name);
                if (last is null || !server.Store.Delete(resource, ns, name))
                {
                    throw FakeApiException.NotFound(resource, name);
                }

                await WriteJsonAsync(context.Response, 200, new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Success",
                    ["details"] = new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural, ["uid"] = last["metadata"]?["uid"]?.DeepClone() },
                });
                return;
            default:
                throw new FakeApiException(405, "MethodNotAllowed", $"method {method} not allowed");
        }
    }

    private async Task PatchAsync(HttpContext context, FakeResource resource, string? ns, string name, bool status)
    {
        var contentType = context.Request.ContentType ?? string.Empty;
        var body = await ReadObjectAsync(context);
        if (contentType.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal))
        {
            RefuseUndeclaredApplyFields(resource, ns, name, body);
        }
        else
        {
            Decode(context, resource, body);
        }

        JsonObject result;
        var created = false;
        if (contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
        {
            result = server.Store.Patch(resource, ns, name, body, status);
        }
        else if (contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal) && resource.IsBuiltIn)
        {
            // Built-in types take strategic merge patches (kubectl apply sends them); custom resources do not.
            result = server.Store.Patch(resource, ns, name, body, status, strategic: true);
        }
        else if (contentType.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal))
        {
            if (string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
            {
                throw FakeApiException.Invalid("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            }

            if (body["metadata"] is JsonObject meta && meta["name"]?.GetValue<string>() != name)
            {
                throw FakeApiException.BadRequest("the name of the object does not match the name on the URL");
            }

            SetNamespace(resource, body, ns);
            created = server.Store.Get(resource, ns, name) is null;
            result = server.Store.Apply(resource, body);
        }
        else
        {
            throw new FakeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");
        }

        // An apply that creates the object answers 201, as a create does.
        await WriteJsonAsync(context.Response, created ? 201 : 200, Versioned(result, resource));
    }

    private void Authorize(string user, string method, IQueryCollection query, FakeResource resource, string? ns, string? name, bool status)
    {
        if (server.Rbac is not { } rbac)
        {
            return;
        }

        var verb = (method, name) switch
        {
            ("GET", null) when query["watch"] is ["true" or "1"] => "watch",
            ("GET", null) => "list",
            ("GET", _) => "get",
            ("POST", _) => "create",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("DELETE", _) => "delete",
            _ => method.ToLowerInvariant(),
        };
        var path = status ? resource.Plural + "/status" : resource.Plural;
        if (!rbac.Allows(user, verb, resource.Group, path, ns))
        {
            throw FakeRbac.Forbidden(user, verb, resource.Group, path, ns, name);
        }
    }

    /// <summary>
    /// Unknown fields as the decoder treats them: fieldValidation=Strict refuses them (400), Ignore drops
    /// them, and the default (Warn) drops them with one Warning header each.
    /// </summary>
    private void Decode(HttpContext context, FakeResource resource, JsonObject body)
    {
        if (server.Store.Schemas is not { } schemas || schemas.RootOf(resource) is not { } schema)
        {
            return;
        }

        var mode = context.Request.Query["fieldValidation"].ToString();
        var strategic = (context.Request.ContentType ?? string.Empty).StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal);
        var unknown = SchemaCheck.UnknownFields(schemas, schema, body, prune: mode != "Strict", directives: strategic);
        if (unknown.Count == 0)
        {
            return;
        }

        if (mode == "Strict")
        {
            throw FakeApiException.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: strict decoding error: {string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""))}");
        }

        if (mode != "Ignore")
        {
            foreach (var field in unknown)
            {
                var warning = $"299 - \"unknown field \\\"{field}\\\"\"";
                context.Response.Headers.Append("Warning", warning);
                server.Warnings.Enqueue($"{context.Request.Method} {context.Request.Path}: {warning}");
            }
        }
    }

    /// <summary>Server-side apply builds a typed object from the schema: a field the schema does not declare is the real server's 500.</summary>
    private void RefuseUndeclaredApplyFields(FakeResource resource, string? ns, string name, JsonObject body)
    {
        if (server.Store.Schemas is not { } schemas || schemas.RootOf(resource) is not { } schema)
        {
            return;
        }

        var unknown = SchemaCheck.UnknownFields(schemas, schema, body, prune: false).Select(u => $".{u}: field not declared in schema").ToList();
        if (unknown.Count > 0)
        {
            var target = ns is null ? name : $"{ns}/{name}";
            var errors = unknown.Count == 1 ? unknown[0] : "errors:\n  " + string.Join("\n  ", unknown);
            // Go prints the core group's version as "/v1".
            var groupVersion = resource.Group.Length == 0 ? "/" + resource.Version : resource.GroupVersion;
            throw new FakeApiException(500, string.Empty, $"failed to create typed patch object ({target}; {groupVersion}, Kind={resource.Kind}): {errors}");
        }
    }

    private async Task ListAsync(HttpContext context, FakeResource resource, string? ns)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        FieldSelector fields;
        try
        {
            fields = FieldSelector.Parse(query["fieldSelector"]);
        }
        catch (FormatException e)
        {
            throw FakeApiException.BadRequest(e.Message);
        }

        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;

        // Pages after the first continue from the key in the token and report the first page's
        // resourceVersion; the token expires with the history (410), as etcd compaction does.
        long listVersion;
        string? after = null;
        var (currentVersion, items) = server.Store.Snapshot(resource);
        if (query["continue"] is [{ Length: > 0 } token])
        {
            (listVersion, after) = DecodeContinue(token);
            server.Store.EnsureNotCompacted(listVersion, "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        }
        else
        {
            listVersion = currentVersion;
        }

        var selected = items
            .Where(o => ns is null || o["metadata"]?["namespace"]?.GetValue<string>() == ns)
            .Where(o => labels.Matches(o) && fields.Matches(o))
            .Select(o => (Key: KeyOf(o), Object: o))
            .Where(o => after is null || string.CompareOrdinal(o.Key, after) > 0)
            .ToList();
        var page = selected.Take(limit).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = listVersion.ToString(CultureInfo.InvariantCulture) };
        if (selected.Count > page.Count)
        {
            metadata["continue"] = EncodeContinue(listVersion, page[^1].Key);
            metadata["remainingItemCount"] = selected.Count - page.Count;
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("kind", resource.Kind + "List");
        writer.WriteString("apiVersion", resource.GroupVersion);
        writer.WritePropertyName("metadata");
        metadata.WriteTo(writer);
        writer.WriteStartArray("items");
        foreach (var (_, obj) in page)
        {
            WriteObject(writer, obj, resource);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    internal static string KeyOf(JsonObject obj)
    {
        var ns = obj["metadata"]?["namespace"]?.GetValue<string>();
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        return string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
    }

    /// <summary>
    /// Writes a stored object. Stored objects never change after their commit, so each one is
    /// serialized once and its bytes reused by every list page and watch (JsonNode writing is
    /// slow enough to dominate a 10k-object list otherwise).
    /// </summary>
    internal static void WriteObject(Utf8JsonWriter writer, JsonObject stored, FakeResource resource)
    {
        if (stored["apiVersion"]?.GetValue<string>() != resource.GroupVersion)
        {
            Versioned(stored, resource).WriteTo(writer);
            return;
        }

        writer.WriteRawValue(Serialized.GetValue(stored, static o => JsonSerializer.SerializeToUtf8Bytes(o)), skipInputValidation: true);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonObject, byte[]> Serialized = new();

    /// <summary>The object as the requested version shows it (versions of a resource share one store).</summary>
    internal static JsonObject Versioned(JsonObject obj, FakeResource resource)
    {
        if (obj["apiVersion"]?.GetValue<string>() == resource.GroupVersion)
        {
            return obj;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = resource.GroupVersion;
        return copy;
    }

    /// <summary>A failure metav1.Status, as error bodies and watch ERROR events carry it.</summary>
    internal static JsonObject FailureStatus(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };

        // The real server leaves out an empty reason (a failed typed patch is a bare 500).
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details.DeepClone();
        }

        status["code"] = code;
        return status;
    }

    internal static Task WriteStatusAsync(HttpResponse response, int code, string reason, string message) =>
        WriteJsonAsync(response, code, FailureStatus(code, reason, message));

    private static async Task WriteJsonAsync(HttpResponse response, int code, JsonNode body)
    {
        response.StatusCode = code;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private FakeResource? Find(string group, string version, string plural) =>
        options.Resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    private static void SetNamespace(FakeResource resource, JsonObject body, string? ns)
    {
        if (!resource.Namespaced)
        {
            return;
        }

        if (body["metadata"] is not JsonObject meta)
        {
            throw FakeApiException.Invalid("metadata is required");
        }

        var given = meta["namespace"]?.GetValue<string>();
        if (ns is null)
        {
            throw FakeApiException.BadRequest("a namespaced object must be written under /namespaces/NS");
        }

        if (!string.IsNullOrEmpty(given) && given != ns)
        {
            throw FakeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        meta["namespace"] = ns;
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw FakeApiException.BadRequest("the body is not a JSON object");
        }
        catch (JsonException e)
        {
            throw FakeApiException.BadRequest($"the body is not JSON: {e.Message}");
        }
    }

    private static string EncodeContinue(long version, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = version, ["start"] = key }.ToJsonString()));

    private static (long Version, string After) DecodeContinue(string token)
    {
        try
        {
            var node = JsonNode.Parse(Convert.FromBase64String(token))!;
            return (node["rv"]!.GetValue<long>(), node["start"]!.GetValue<string>());
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw FakeApiException.BadRequest("continue key is not valid");
        }
    }
}
