namespace DnsMcs.Sources;

/// <summary>
/// Identifies one served object across files and reloads: kind plus namespace/name
/// (namespace null for cluster-scoped kinds). Printed the way errors name objects: "ServiceImport shop/web".
/// </summary>
internal readonly record struct ObjectKey(string Kind, string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
