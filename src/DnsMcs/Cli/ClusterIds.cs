using System.Diagnostics.CodeAnalysis;

namespace DnsMcs.Cli;

/// <summary>
/// Cluster ids as KEP-2149 allows them: an RFC 1123 DNS subdomain of at most 128 characters (lower-case letters, digits,
/// '-', labels of 1-63 joined by dots). They become a label of per-pod names, so nothing looser may reach the zone.
/// </summary>
internal static class ClusterIds
{
    private const int MaxLength = 128;
    private const int MaxLabel = 63;

    public static bool IsValid(string id, [NotNullWhen(false)] out string? why)
    {
        why = id.Length switch
        {
            0 => "is empty",
            > MaxLength => $"is longer than {MaxLength} characters",
            _ => null,
        };
        if (why is not null)
        {
            return false;
        }

        foreach (var label in id.Split('.'))
        {
            if (label.Length is 0 or > MaxLabel)
            {
                why = $"has a label that is empty or longer than {MaxLabel} characters";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                why = "is not a DNS name (lower-case letters, digits and '-', not at either end of a label)";
                return false;
            }
        }

        return true;
    }
}
