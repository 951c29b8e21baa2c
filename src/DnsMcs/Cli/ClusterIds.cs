using System.Diagnostics.CodeAnalysis;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Cli;

/// <summary>
/// Cluster ids on the command line (--member, --cluster): the zone's rule (<see cref="NameRules.ClusterIdError"/>),
/// one or two DNS labels and at most 63 characters, so that serve, the controller and the prober accept the same ids.
/// </summary>
internal static class ClusterIds
{
    public static bool IsValid(string id, [NotNullWhen(false)] out string? why)
    {
        why = NameRules.ClusterIdError(id);
        return why is null;
    }
}
