namespace DnsMcs.Http;

/// <summary>Answers /ready: whether the server should receive traffic now, and if not, why.</summary>
internal interface IReadinessProvider
{
    ReadinessReport Check();
}

/// <summary><see cref="Reason"/> is a short operator-facing line, e.g. "sources not synced: east, west".</summary>
internal readonly record struct ReadinessReport(bool IsReady, string Reason)
{
    public static ReadinessReport Ready { get; } = new(true, "OK");

    public static ReadinessReport NotReady(string reason) => new(false, reason);
}
