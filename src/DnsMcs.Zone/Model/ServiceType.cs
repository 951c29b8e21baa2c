namespace DnsMcs.Zone.Model;

/// <summary>ServiceImport spec.type.</summary>
public enum ServiceType : byte
{
    /// <summary>One clusterset VIP per family (spec.ips), or the exporting clusters' addresses when spec.ips is empty.</summary>
    ClusterSetIP,

    /// <summary>No VIP: the name resolves to every ready endpoint.</summary>
    Headless,
}
