using DnsMcs.Configuration;
using DnsMcs.Server;

namespace DnsMcs.Cli;

/// <summary>Everything <c>dnsmcs serve</c> was told, validated: the configuration (file and flags merged) and the listeners' tuning.</summary>
internal sealed record ServeSettings(ServeConfiguration Config, TimeSpan MemberSyncTimeout)
{
    public ServerOptions Server { get; } = Config.ToServerOptions();
}
