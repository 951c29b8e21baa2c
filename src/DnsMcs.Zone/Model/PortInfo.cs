namespace DnsMcs.Zone.Model;

/// <summary>A port as DNS sees it: name (null when unnamed), protocol ("TCP", "UDP", "SCTP") and number.</summary>
public sealed record PortInfo(string? Name, string Protocol, ushort Port);
