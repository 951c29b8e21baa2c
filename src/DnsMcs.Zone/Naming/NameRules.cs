using System.Diagnostics.CodeAnalysis;

namespace DnsMcs.Zone.Naming;

/// <summary>
/// The one rule for what may become a name in the zone; the object translator, the Corefile parser, the CLI and
/// the index all call it, so a name one accepts is a name the others can serve.
///   - a label is 1–63 bytes (RFC 1035 §2.3.4); object names are RFC 1123 labels (Kubernetes' DNS_LABEL:
///     lowercase letters, digits and '-', not at either end);
///   - a name is at most 255 bytes in wire form, root label included (RFC 1035 §3.1);
///   - a cluster id is one such label or two joined by a dot (KEP-2149 allows any subdomain, but a cluster id is
///     one position in &lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;… names: three labels would be read as the service's own),
///     and at most 63 characters, because it travels as the value of the source-cluster label;
///   - the zone is a DNS name of letters, digits and inner hyphens, lowercased, with no trailing dot;
///   - an endpoint's host label is its hostname, or else derived from its address (<see cref="EndpointHostName"/>).
/// </summary>
public static class NameRules
{
    public const int MaxLabelLength = 63;

    /// <summary>The longest name in wire form, length bytes and root label included.</summary>
    public const int MaxNameLength = 255;

    /// <summary>A cluster id is a label value (multicluster.kubernetes.io/source-cluster): 63 characters at most.</summary>
    public const int MaxClusterIdLength = 63;

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
    /// Whether a label can be written at all: 1–63 bytes of printable ASCII other than '.', so it is one label
    /// and reads back as written. The index checks every label it builds with this (ports become "_port").
    /// </summary>
    public static bool IsWireLabel(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxLabelLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is <= ' ' or > '~' or '.')
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsClusterId(ReadOnlySpan<char> value) => ClusterIdError(value) is null;

    /// <summary>Why <paramref name="value"/> is not a cluster id (a phrase after the id: "is empty"), or null when it is one.</summary>
    public static string? ClusterIdError(ReadOnlySpan<char> value)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Length > MaxClusterIdLength)
        {
            return $"is longer than {MaxClusterIdLength} characters (it travels as a label value)";
        }

        if (value[0] == '.' || value[^1] == '.' || value.Contains("..", StringComparison.Ordinal))
        {
            return "has an empty label";
        }

        var dot = value.IndexOf('.');
        if (dot >= 0 && value[(dot + 1)..].Contains('.'))
        {
            return "has more than two labels (a cluster id is one DNS label, or two joined by a dot)";
        }

        var valid = dot < 0 ? IsDnsLabel(value) : IsDnsLabel(value[..dot]) && IsDnsLabel(value[(dot + 1)..]);
        return valid ? null : "is not a DNS name (lower-case letters, digits and '-', not at either end of a label)";
    }

    /// <summary>Checks and normalises a zone: trimmed, lowercased, no trailing dot; labels of letters, digits and inner hyphens.</summary>
    public static bool TryNormalizeZone(string? text, out string zone, [NotNullWhen(false)] out string? error)
    {
        zone = (text ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        error = null;
        if (zone.Length == 0)
        {
            error = "the zone must not be empty (the root zone is not served)";
            return false;
        }

        if (WireLength(zone) > MaxNameLength)
        {
            error = $"'{zone}' is longer than {MaxNameLength} bytes in wire form";
            return false;
        }

        foreach (var label in zone.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                error = $"'{zone}' is not a DNS name: each label is 1-63 letters, digits or inner hyphens";
                return false;
            }
        }

        return true;
    }

    /// <summary>Wire length of the dotted names given, joined, with the root label: "a.b" and "c" make 7 (1a1b1c0).</summary>
    public static int WireLength(params ReadOnlySpan<string> parts)
    {
        var length = 1;
        foreach (var part in parts)
        {
            if (part.Length > 0)
            {
                length += part.Length + 1; // each '.' becomes a length byte, plus the first label's
            }
        }

        return length;
    }
}
