namespace DnsMcs.Sources.Centralized;

/// <summary>
/// One member cluster of the clusterset in centralized mode: its cluster id (the per-endpoint DNS label
/// <c>&lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;.&lt;ns&gt;...</c>) and where its API server is.
/// </summary>
internal sealed record MemberCluster(string Name, string Kubeconfig, string? Context)
{
    /// <summary>
    /// Parses <c>NAME=KUBECONFIG[@CONTEXT]</c>. The context is what follows the last '@' after the path's last
    /// separator, so a directory with '@' in its name still works.
    /// </summary>
    public static MemberCluster Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var equals = spec.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == spec.Length - 1)
        {
            throw new FormatException($"member \"{spec}\" must be NAME=KUBECONFIG[@CONTEXT]");
        }

        var name = spec[..equals];
        if (!NameRules.IsClusterId(name))
        {
            throw new FormatException($"member name \"{name}\" is not a valid cluster id (one DNS label, or two joined by a dot)");
        }

        var location = spec[(equals + 1)..];
        var lastSeparator = location.LastIndexOfAny(['/', '\\']);
        var at = location.LastIndexOf('@');
        string? context = null;
        if (at > lastSeparator)
        {
            context = location[(at + 1)..];
            location = location[..at];
            if (context.Length == 0)
            {
                throw new FormatException($"member \"{spec}\" has an empty context after '@'");
            }
        }

        if (location.Length == 0)
        {
            throw new FormatException($"member \"{spec}\" has no kubeconfig path");
        }

        return new MemberCluster(name, location, context);
    }

    public override string ToString() => Context is null ? $"{Name}={Kubeconfig}" : $"{Name}={Kubeconfig}@{Context}";
}
