using System.Diagnostics.CodeAnalysis;

namespace DnsMcs.Sources;

/// <summary>What a translation made of one object, or of one part of it.</summary>
internal enum TranslationOutcome : byte
{
    /// <summary>A served value (<see cref="TranslationResult{T}.Value"/>).</summary>
    Translated,

    /// <summary>Not ours (another kind, an FQDN slice, a slice without MCS labels); <see cref="TranslationFailure.Reason"/> says why.</summary>
    Ignored,

    /// <summary>Ours but malformed; <see cref="TranslationFailure.Field"/> points at the offending field.</summary>
    Invalid,
}

/// <summary>
/// Why a value was not translated: ignored (not ours), or invalid at <see cref="Field"/>, a JSON-style path
/// ("spec.ips[0]", "metadata.labels['a/b']") that a file source maps back to a line.
/// </summary>
internal sealed record TranslationFailure(TranslationOutcome Outcome, string? Field, string Reason)
{
    /// <summary>The error as a sentence: the field, then what is wrong ("spec.ips[0] \"10.0.0.300\" is not an IP address").</summary>
    public string Message => string.IsNullOrEmpty(Field) ? Reason : $"{Field} {Reason}";

    public static TranslationFailure Ignored(string reason) => new(TranslationOutcome.Ignored, null, reason);

    public static TranslationFailure Invalid(string field, string reason) => new(TranslationOutcome.Invalid, field, reason);

    public override string ToString() => Outcome == TranslationOutcome.Ignored ? $"ignored: {Reason}" : $"invalid: {Message}";
}

/// <summary>
/// A value, never an exception: the translated <typeparamref name="T"/> (a zone model, a part of one, or a
/// <see cref="ClusterSetObject"/>), or the <see cref="TranslationFailure"/> that says why not. Both convert
/// implicitly, so a check returns either and a caller passes a part's failure on as its own.
/// </summary>
internal readonly struct TranslationResult<T>
{
    private TranslationResult(T? value, TranslationFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    /// <summary>Null when translated.</summary>
    public TranslationFailure? Failure { get; }

    public TranslationOutcome Outcome => Failure?.Outcome ?? TranslationOutcome.Translated;

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsTranslated => Failure is null && Value is not null;

    /// <summary>The offending field of an invalid value (empty when the object as a whole is wrong).</summary>
    public string? Field => Failure?.Field;

    /// <summary>Why the value is ignored, or what is wrong with <see cref="Field"/>.</summary>
    public string? Reason => Failure?.Reason;

    public string Message => Failure?.Message ?? string.Empty;

    public static implicit operator TranslationResult<T>(T value) => new(value, null);

    public static implicit operator TranslationResult<T>(TranslationFailure failure) => new(default, failure);

    public override string ToString() => Failure is null ? $"translated {Value}" : Failure.ToString();
}
