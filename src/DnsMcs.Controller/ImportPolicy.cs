namespace DnsMcs.Controller;

/// <summary>Which members receive a ServiceImport of an exported service.</summary>
public enum ImportPolicy
{
    /// <summary>Every member where the namespace exists (the KEP's namespace sameness).</summary>
    All,

    /// <summary>Only members where a user created a ServiceImport of that name (Kosmos's manual flow).</summary>
    Explicit,
}
