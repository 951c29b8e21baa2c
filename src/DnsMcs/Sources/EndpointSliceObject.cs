using DnsMcs.Zone;
using DnsMcs.Zone.Model;

namespace DnsMcs.Sources;

/// <summary>An MCS EndpointSlice, as the index sees it.</summary>
internal sealed class EndpointSliceObject(EndpointSliceInfo slice) : ClusterSetObject
{
    public const string KindName = "EndpointSlice";

    public EndpointSliceInfo Slice { get; } = slice;

    public override ObjectKey Key => new(KindName, Slice.Namespace, Slice.Name);

    public override void Apply(IClusterSetWriter writer) => writer.PutEndpointSlice(Slice);

    public override void Remove(IClusterSetWriter writer) => writer.RemoveEndpointSlice(Slice.Namespace, Slice.Name);

    public override bool ContentEquals(ClusterSetObject other) =>
        other is EndpointSliceObject o && ZoneModelEquality.Equal(Slice, o.Slice);
}
