using System.Diagnostics.CodeAnalysis;

namespace DnsMcs.Cli;

/// <summary>
/// Cluster ids as KEP-2149 allows them (an RFC 1123 DNS subdomain: lower-case letters, digits and '-', labels joined
/// by dots), and at most 63 characters, because the controller writes them as the value of the
/// multicluster.kubernetes.io/source-cluster label and a label value is no longer than that.
/// </summary>
internal static class ClusterIds
{
    private const int MaxLength = 63;

    public static bool IsValid(string id, [NotNullWhen(false)] out string? why)
    {
        why = id.Length switch
        {
            0 => "is empty",
            > MaxLength => $"is longer than {MaxLength} characters (it becomes a label value)",
            _ => null,
        };
        if (why is not null)
        {
            return false;
        }

        foreach (var label in id.Split('.'))
        {
            if (label.Length == 0)
            {
                why = "has an empty label";
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
