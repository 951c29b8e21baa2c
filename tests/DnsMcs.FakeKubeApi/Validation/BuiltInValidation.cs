using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// The checks the real server's validation code applies beyond the schema, for what DnsMcs writes:
/// object names (RFC 1123 subdomain; a Service's an RFC 1035 label, a Namespace's an RFC 1123 label),
/// label keys and values, EndpointSlice addresses per addressType and hostnames, Service ports, Lease
/// durations. Messages are worded as the server words them (k8s.io/apimachinery validation).
/// </summary>
internal static partial class BuiltInValidation
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string Dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    private const string LabelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    public static List<FieldCause> Validate(FakeResource resource, JsonObject obj)
    {
        var causes = new List<FieldCause>();
        ValidateMetadata(resource, obj["metadata"] as JsonObject, causes);
        switch (resource.Kind)
        {
            case "EndpointSlice" when resource.Group == "discovery.k8s.io":
                ValidateEndpointSlice(obj, causes);
                break;
            case "Service" when resource.Group.Length == 0:
                ValidateService(obj["spec"] as JsonObject, causes);
                break;
            case "Lease" when resource.Group == "coordination.k8s.io":
                if (obj["spec"]?["leaseDurationSeconds"] is JsonValue duration && duration.GetValueKind() == JsonValueKind.Number && Number(duration) <= 0)
                {
                    causes.Add(InvalidNumber("spec.leaseDurationSeconds", duration, "must be greater than 0"));
                }

                break;
        }

        return causes;
    }

    public static bool IsSubdomain(string value) => value.Length <= 253 && Subdomain().IsMatch(value);

    public static bool IsLabel(string value) => value.Length <= 63 && Label().IsMatch(value);

    private static void ValidateMetadata(FakeResource resource, JsonObject? meta, List<FieldCause> causes)
    {
        var name = Text(meta?["name"]);
        if (!string.IsNullOrEmpty(name))
        {
            var (valid, message) = resource.Kind switch
            {
                "Service" when resource.Group.Length == 0 => (name.Length <= 63 && Dns1035().IsMatch(name), Dns1035Message),
                "Namespace" when resource.Group.Length == 0 => (IsLabel(name), LabelMessage),
                _ => (IsSubdomain(name), SubdomainMessage),
            };
            if (!valid)
            {
                causes.Add(FieldCause.Invalid("metadata.name", name, message));
            }
        }

        foreach (var (key, value) in meta?["labels"] as JsonObject ?? [])
        {
            var prefixAt = key.LastIndexOf('/');
            var keyName = prefixAt < 0 ? key : key[(prefixAt + 1)..];
            if (keyName.Length is 0 or > 63 || !LabelValue().IsMatch(keyName) || (prefixAt >= 0 && !IsSubdomain(key[..prefixAt])))
            {
                causes.Add(FieldCause.Invalid("metadata.labels", key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
            }

            var text = Text(value) ?? string.Empty;
            if (text.Length > 63)
            {
                causes.Add(FieldCause.Invalid("metadata.labels", text, "must be no more than 63 characters"));
            }
            else if (!LabelValue().IsMatch(text))
            {
                causes.Add(FieldCause.Invalid("metadata.labels", text, LabelValueMessage));
            }
        }
    }

    private static void ValidateEndpointSlice(JsonObject slice, List<FieldCause> causes)
    {
        var addressType = Text(slice["addressType"]);
        if (addressType is not (null or "IPv4" or "IPv6" or "FQDN"))
        {
            causes.Add(FieldCause.NotSupported("addressType", addressType, ["FQDN", "IPv4", "IPv6"]));
        }

        var endpoints = slice["endpoints"] as JsonArray ?? [];
        if (endpoints.Count > 1000)
        {
            causes.Add(FieldCause.TooMany("endpoints", endpoints.Count, 1000));
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var path = $"endpoints[{i}]";
            var addresses = endpoints[i]?["addresses"] as JsonArray ?? [];
            if (addresses.Count == 0)
            {
                causes.Add(FieldCause.Required($"{path}.addresses"));
            }
            else if (addresses.Count > 100)
            {
                causes.Add(FieldCause.TooMany($"{path}.addresses", addresses.Count, 100));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                var address = Text(addresses[j]) ?? string.Empty;
                var why = addressType switch
                {
                    "IPv4" when !IsIPv4(address) => "must be a valid IPv4 address",
                    "IPv6" when !IsIPv6(address) => "must be a valid IPv6 address",
                    "FQDN" when !IsSubdomain(address) => SubdomainMessage,
                    _ => null,
                };
                if (why is not null)
                {
                    causes.Add(FieldCause.Invalid($"{path}.addresses[{j}]", address, why));
                }
            }

            if (Text(endpoints[i]?["hostname"]) is { } hostname && !IsLabel(hostname))
            {
                causes.Add(FieldCause.Invalid($"{path}.hostname", hostname, LabelMessage));
            }
        }

        var ports = slice["ports"] as JsonArray ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i]?["port"] is JsonValue port && !IsPort(port))
            {
                causes.Add(InvalidNumber($"ports[{i}].port", port, "must be between 1 and 65535, inclusive"));
            }

            if (Text(ports[i]?["name"]) is { Length: > 0 } name && !IsLabel(name))
            {
                causes.Add(FieldCause.Invalid($"ports[{i}].name", name, LabelMessage));
            }
        }
    }

    private static void ValidateService(JsonObject? spec, List<FieldCause> causes)
    {
        var type = Text(spec?["type"]) ?? "ClusterIP";
        var headless = Text(spec?["clusterIP"]) == "None";
        var ports = spec?["ports"] as JsonArray ?? [];
        if (ports.Count == 0 && type != "ExternalName" && !headless)
        {
            causes.Add(FieldCause.Required("spec.ports"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            var name = Text(ports[i]?["name"]);
            if (ports.Count > 1 && string.IsNullOrEmpty(name))
            {
                causes.Add(FieldCause.Required($"{path}.name"));
            }
            else if (!string.IsNullOrEmpty(name))
            {
                if (!IsLabel(name))
                {
                    causes.Add(FieldCause.Invalid($"{path}.name", name, LabelMessage));
                }
                else if (!names.Add(name))
                {
                    causes.Add(new FieldCause("FieldValueDuplicate", $"Duplicate value: \"{name}\"", $"{path}.name"));
                }
            }

            if (ports[i]?["port"] is not JsonValue port || !IsPort(port))
            {
                causes.Add(InvalidNumber($"{path}.port", ports[i]?["port"] as JsonValue, "must be between 1 and 65535, inclusive"));
            }
        }
    }

    private static bool IsPort(JsonValue port) =>
        port.GetValueKind() == JsonValueKind.Number && Number(port) is >= 1 and <= 65535;

    private static bool IsIPv4(string address)
    {
        var parts = address.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static bool IsIPv6(string address) =>
        address.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && !address.Contains('%', StringComparison.Ordinal);

    // Numbers are not quoted in the server's messages ("Invalid value: 0: ...").
    private static FieldCause InvalidNumber(string field, JsonValue? value, string why) =>
        new("FieldValueInvalid", $"Invalid value: {value?.ToJsonString() ?? "0"}: {why}", field);

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();

    // A number however it was made (parsed text, an int or a long from code): GetValue<double> only reads the first.
    private static double Number(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
