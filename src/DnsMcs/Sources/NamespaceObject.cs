using DnsMcs.Zone;

namespace DnsMcs.Sources;

/// <summary>A Namespace object: the namespace exists for DNS even without services.</summary>
internal sealed class NamespaceObject(string name) : ClusterSetObject
{
    public const string KindName = "Namespace";

    public string Name { get; } = name;

    public override ObjectKey Key => new(KindName, null, Name);

    public override void Apply(IClusterSetWriter writer) => writer.PutNamespace(Name);

    public override void Remove(IClusterSetWriter writer) => writer.RemoveNamespace(Name);

    public override bool ContentEquals(ClusterSetObject other) =>
        other is NamespaceObject o && string.Equals(Name, o.Name, StringComparison.Ordinal);
}
