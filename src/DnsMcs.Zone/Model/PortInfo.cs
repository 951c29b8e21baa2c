namespace DnsMcs.Zone.Model;

/// <summary>A port as DNS sees it: name (null when unnamed), protocol ("TCP", "UDP", "SCTP") and number. Its strings are shared (<see cref="ModelPool"/>).</summary>
public sealed record PortInfo(string? Name, string Protocol, ushort Port)
{
    public string? Name { get; init; } = ModelPool.Share(Name);

    public string Protocol { get; init; } = ModelPool.Share(Protocol)!;
}
