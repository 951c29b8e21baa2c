using DnsMcs.Zone;

namespace DnsMcs.Sources;

/// <summary>ClusterProperty id.k8s.io: the id of the cluster this server runs in (KEP-2149).</summary>
internal sealed class LocalClusterIdObject(string clusterId) : ClusterSetObject
{
    public const string KindName = "ClusterProperty";
    public const string PropertyName = "id.k8s.io";

    public string ClusterId { get; } = clusterId;

    public override ObjectKey Key => new(KindName, null, PropertyName);

    public override void Apply(IClusterSetWriter writer) => writer.SetLocalClusterId(ClusterId);

    // Without the property, slices that carry no source-cluster label have no cluster id.
    public override void Remove(IClusterSetWriter writer) => writer.SetLocalClusterId(null);

    public override bool ContentEquals(ClusterSetObject other) =>
        other is LocalClusterIdObject o && string.Equals(ClusterId, o.ClusterId, StringComparison.Ordinal);
}
