namespace DnsMcs.Tests.Kubernetes;

/// <summary>A measurement run by hand (DNSMCS_MEASURE=1), skipped otherwise: it prints figures, it asserts little.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MeasureFactAttribute : FactAttribute
{
    public MeasureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DNSMCS_MEASURE") != "1")
        {
            Skip = "a measurement; run with DNSMCS_MEASURE=1";
        }
    }
}
