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

    public FakeApiException(int code, string reason, string message)
        : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public int Code { get; } = 500;

    public string Reason { get; } = "InternalError";

    public static FakeApiException NotFound(FakeResource resource, string name) =>
        new(404, "NotFound", $"{resource.Plural}{GroupSuffix(resource)} \"{name}\" not found");

    public static FakeApiException AlreadyExists(FakeResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource.Plural}{GroupSuffix(resource)} \"{name}\" already exists");

    public static FakeApiException Conflict(FakeResource resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.Plural}{GroupSuffix(resource)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");

    public static FakeApiException Expired(string message) => new(410, "Expired", message);

    public static FakeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static FakeApiException Invalid(string message) => new(422, "Invalid", message);

    private static string GroupSuffix(FakeResource resource) => resource.Group.Length == 0 ? string.Empty : "." + resource.Group;
}
