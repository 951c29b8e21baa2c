namespace DnsMcs.Cli;

/// <summary>Checks and normalises <c>--zone</c>: a DNS name of letters, digits and hyphens, lowercased, no trailing dot.</summary>
internal static class ZoneName
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    public static bool TryNormalize(string? text, out string zone, out string? error)
    {
        zone = (text ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        error = null;
        if (zone.Length == 0)
        {
            error = "the zone must not be empty (the root zone is not served)";
            return false;
        }

        if (zone.Length > MaxNameLength)
        {
            error = $"'{zone}' is longer than {MaxNameLength} characters";
            return false;
        }

        foreach (var label in zone.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-' || !label.All(IsLabelChar))
            {
                error = $"'{zone}' is not a DNS name: each label is 1-63 letters, digits or inner hyphens";
                return false;
            }
        }

        return true;
    }

    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
