using System.Diagnostics.CodeAnalysis;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Cli;

/// <summary>Checks and normalises <c>--zone</c> (and a Corefile's server block key) with the zone's rule.</summary>
internal static class ZoneName
{
    public static bool TryNormalize(string? text, out string zone, [NotNullWhen(false)] out string? error) =>
        NameRules.TryNormalizeZone(text, out zone, out error);
}
