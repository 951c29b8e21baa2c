namespace DnsMcs.Zone.Faults;

/// <summary>Metric label values of <see cref="IndexRejectionReason"/>, as interned literals.</summary>
public static class IndexRejectionReasons
{
    public static IReadOnlyList<IndexRejectionReason> All { get; } = Enum.GetValues<IndexRejectionReason>();

    public static string Label(IndexRejectionReason reason) => reason switch
    {
        IndexRejectionReason.LabelTooLong => "label_too_long",
        IndexRejectionReason.NameTooLong => "name_too_long",
        IndexRejectionReason.InvalidLabel => "invalid_label",
        IndexRejectionReason.InvalidClusterId => "invalid_cluster_id",
        IndexRejectionReason.AnswerTooLarge => "answer_too_large",
        IndexRejectionReason.BuildFailed => "build_failed",
        _ => "other",
    };
}
