using DnsMcs.Server;
using DnsMcs.Zone;

namespace DnsMcs.Cli;

/// <summary>Everything <c>dnsmcs serve</c> was told, validated.</summary>
internal sealed record ServeSettings(ServerOptions Server, ZoneOptions Zone, DirectoryInfo? Manifests);
