using DnsMcs.Controller.Probing;

namespace DnsMcs.Controller.Tests.Probing;

public sealed class TargetStateTests
{
    public static TheoryData<string, int, int, string> Sequences => new()
    {
        // probe results (+ ok, - failed), failure threshold, success threshold, verdict after each (C connected, D disconnected)
        { "---", 3, 1, "CCD" },
        { "--+--", 3, 1, "CCCCC" },
        { "-", 1, 1, "D" },
        { "---+", 3, 1, "CCDC" },
        { "---++", 3, 2, "CCDDC" },
        { "---+-++", 3, 2, "CCDDDDC" },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Record_Sequence_FollowsThresholds(string results, int failureThreshold, int successThreshold, string verdicts)
    {
        var settings = new ProbeSettings { FailureThreshold = failureThreshold, SuccessThreshold = successThreshold };
        var state = new TargetState();
        var seen = new System.Text.StringBuilder();
        foreach (var result in results)
        {
            state.Record(result == '+', settings, out _);
            seen.Append(state.Disconnected ? 'D' : 'C');
        }

        Assert.Equal(verdicts, seen.ToString());
    }
}
