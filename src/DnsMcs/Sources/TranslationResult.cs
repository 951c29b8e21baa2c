using System.Diagnostics.CodeAnalysis;

namespace DnsMcs.Sources;

/// <summary>What <see cref="ObjectTranslator"/> made of one Kubernetes object.</summary>
internal enum TranslationOutcome : byte
{
    /// <summary>A served object (<see cref="TranslationResult.Object"/>).</summary>
    Translated,

    /// <summary>Not ours (another kind, an FQDN slice, a slice without MCS labels); <see cref="TranslationResult.Reason"/> says why.</summary>
    Ignored,

    /// <summary>Ours but malformed; <see cref="TranslationResult.Field"/> points at the offending field.</summary>
    Invalid,
}

/// <summary>
/// A value, never an exception: the translated object, or why the object is ignored, or which field is
/// invalid. <see cref="Field"/> is a JSON-style path ("spec.ips[0]", "metadata.labels['a/b']") that a
/// file source maps back to a line.
/// </summary>
internal sealed class TranslationResult
{
    private TranslationResult(TranslationOutcome outcome, ClusterSetObject? obj, string? field, string? reason)
    {
        Outcome = outcome;
        Object = obj;
        Field = field;
        Reason = reason;
    }

    public TranslationOutcome Outcome { get; }

    public ClusterSetObject? Object { get; }

    /// <summary>The offending field of an invalid object (empty when the object as a whole is wrong).</summary>
    public string? Field { get; }

    /// <summary>Why the object is ignored, or what is wrong with <see cref="Field"/>.</summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Object))]
    public bool IsTranslated => Outcome == TranslationOutcome.Translated;

    /// <summary>The error as a sentence: the field, then what is wrong ("spec.ips[0] \"10.0.0.300\" is not an IP address").</summary>
    public string Message => string.IsNullOrEmpty(Field) ? Reason ?? string.Empty : $"{Field} {Reason}";

    public static TranslationResult Translated(ClusterSetObject obj) => new(TranslationOutcome.Translated, obj, null, null);

    public static TranslationResult Ignored(string reason) => new(TranslationOutcome.Ignored, null, null, reason);

    public static TranslationResult Invalid(string field, string reason) => new(TranslationOutcome.Invalid, null, field, reason);

    public override string ToString() => Outcome switch
    {
        TranslationOutcome.Translated => $"translated {Object}",
        TranslationOutcome.Ignored => $"ignored: {Reason}",
        _ => $"invalid: {Message}",
    };
}
