namespace DnsMcs.Kubernetes.Client;

/// <summary>Where a resource lives in the API: group ("" for core), version, plural, and whether it is namespaced.</summary>
public sealed record ResourceDescriptor(string Group, string Version, string Plural, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path: /api/v1[/namespaces/NS]/PLURAL or /apis/GROUP/VERSION[/namespaces/NS]/PLURAL.</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(ns) ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}" : $"{root}/{Plural}";
    }

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public override string ToString() => Group.Length == 0 ? $"{Plural}.{Version}" : $"{Plural}.{Version}.{Group}";
}
