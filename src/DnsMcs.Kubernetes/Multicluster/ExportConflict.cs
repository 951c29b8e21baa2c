namespace DnsMcs.Kubernetes.Multicluster;

/// <summary>
/// A property on which one cluster's export disagrees with the oldest export (which wins). Reasons are the
/// mcs-api ServiceExport "Conflict" condition reasons.
/// </summary>
public sealed record ExportConflict(string Reason, string Message)
{
    public const string PortConflict = "PortConflict";
    public const string TypeConflict = "TypeConflict";
    public const string SessionAffinityConflict = "SessionAffinityConflict";
    public const string NoConflicts = "NoConflicts";
}
