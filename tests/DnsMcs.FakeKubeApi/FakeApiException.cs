using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>A refusal the fake answers with a metav1.Status body, as the real server does.</summary>
public sealed class FakeApiException : Exception
{
    public FakeApiException()
    {
    }

    public FakeApiException(string message)
        : base(message)
    {
    }

    public FakeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FakeApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; } = 500;

    /// <summary>The Status reason; empty for a 500 the real server sends without one (a failed typed patch).</summary>
    public string Reason { get; } = "InternalError";

    /// <summary>The Status details (name, group, kind, causes), as the real server fills them for this refusal.</summary>
    public JsonObject? Details { get; }

    public static FakeApiException NotFound(FakeResource resource, string name) =>
        new(404, "NotFound", $"{resource.Plural}{GroupSuffix(resource)} \"{name}\" not found", DetailsOf(resource, name));

    /// <summary>A namespaced write into a namespace that does not exist (the NamespaceLifecycle admission plugin).</summary>
    public static FakeApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static FakeApiException AlreadyExists(FakeResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource.Plural}{GroupSuffix(resource)} \"{name}\" already exists", DetailsOf(resource, name));

    public static FakeApiException Conflict(FakeResource resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.Plural}{GroupSuffix(resource)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", DetailsOf(resource, name));

    public static FakeApiException Expired(string message) => new(410, "Expired", message);

    public static FakeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static FakeApiException Invalid(string message) => new(422, "Invalid", message);

    /// <summary>422 Invalid with one cause per field, worded as the real server words them.</summary>
    public static FakeApiException Invalid(FakeResource resource, string name, IReadOnlyList<FieldCause> causes)
    {
        var listed = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var message = $"{resource.Kind}{(resource.Group.Length == 0 ? string.Empty : "." + resource.Group)} \"{name}\" is invalid: {(listed.Count == 1 ? listed[0] : $"[{string.Join(", ", listed)}]")}";
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = resource.Group,
            ["kind"] = resource.Kind,
            ["causes"] = new JsonArray([.. causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field })]),
        };
        if (resource.Group.Length == 0)
        {
            details.Remove("group");
        }

        return new FakeApiException(422, "Invalid", message, details);
    }

    private static JsonObject DetailsOf(FakeResource resource, string name)
    {
        var details = new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural };
        if (resource.Group.Length == 0)
        {
            details.Remove("group");
        }

        return details;
    }

    private static string GroupSuffix(FakeResource resource) => resource.Group.Length == 0 ? string.Empty : "." + resource.Group;
}
