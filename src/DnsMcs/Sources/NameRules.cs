namespace DnsMcs.Sources;

/// <summary>
/// The name grammars objects must follow because their names become DNS labels: RFC 1123 labels
/// (what Kubernetes calls DNS_LABEL) and KEP-2149 cluster ids as DnsMcs serves them.
/// </summary>
internal static class NameRules
{
    public const int MaxLabelLength = 63;

    /// <summary>Lowercase letters, digits and '-', 1–63 characters, starting and ending with a letter or digit.</summary>
    public static bool IsDnsLabel(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxLabelLength || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// One DNS label or two joined by a dot: KEP-2149 allows any RFC 1123 subdomain of at most 128
    /// characters, but a cluster id is one position in &lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;… names,
    /// and more than two labels would make those names ambiguous with the service's own labels.
    /// </summary>
    public static bool IsClusterId(ReadOnlySpan<char> value)
    {
        var dot = value.IndexOf('.');
        return dot < 0 ? IsDnsLabel(value) : IsDnsLabel(value[..dot]) && IsDnsLabel(value[(dot + 1)..]);
    }
}
