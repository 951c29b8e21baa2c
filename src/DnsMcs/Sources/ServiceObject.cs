using DnsMcs.Zone;
using DnsMcs.Zone.Model;

namespace DnsMcs.Sources;

/// <summary>A ServiceImport, as the index sees it.</summary>
internal sealed class ServiceObject(ServiceInfo service) : ClusterSetObject
{
    public const string KindName = "ServiceImport";

    public ServiceInfo Service { get; } = service;

    public override ObjectKey Key => new(KindName, Service.Namespace, Service.Name);

    public override void Apply(IClusterSetWriter writer) => writer.PutService(Service);

    public override void Remove(IClusterSetWriter writer) => writer.RemoveService(Service.Namespace, Service.Name);

    public override bool ContentEquals(ClusterSetObject other) =>
        other is ServiceObject o && ZoneModelEquality.Equal(Service, o.Service);
}
