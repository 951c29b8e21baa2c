namespace DnsMcs.Tests.Metrics;

/// <summary>
/// A fact that needs a command-line tool: reported as skipped, with the reason, when the tool is not on PATH.
/// xunit 2 has no skip at run time, so the check runs when the attribute is built (test discovery).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool, string package) => Skip = ToolSkip.Reason(tool, package);
}

/// <summary>A theory that needs a command-line tool; see <see cref="ToolFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(string tool, string package) => Skip = ToolSkip.Reason(tool, package);
}

internal static class ToolSkip
{
    /// <summary>Null when <paramref name="tool"/> is on PATH, else why the test cannot run and how to fix that.</summary>
    public static string? Reason(string tool, string package) =>
        ExternalTool.Find(tool) is null ? $"{tool} is not on PATH: install {package} (.ci/run does)" : null;
}
