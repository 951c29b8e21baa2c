namespace DnsMcs.FakeKubeApi;

/// <summary>One cause of a 422: the reason (FieldValueInvalid, FieldValueRequired...), its message and the field path.</summary>
public sealed record FieldCause(string Reason, string Message, string Field)
{
    public static FieldCause Invalid(string field, string value, string why) => new("FieldValueInvalid", $"Invalid value: \"{value}\": {why}", field);

    public static FieldCause Required(string field) => new("FieldValueRequired", "Required value", field);

    public static FieldCause NotSupported(string field, string value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}", field);

    public static FieldCause TooMany(string field, int count, long max) => new("FieldValueTooMany", $"Too many: {count}: must have at most {max} items", field);

    public static FieldCause TooLong(string field, long max) => new("FieldValueTooLong", $"Too long: may not be more than {max} bytes", field);

    public static FieldCause TypeInvalid(string field, string actual, string expected) =>
        new("FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {field} in body must be of type {expected}: \"{actual}\"", field);
}
