using DnsMcs.Cli;

namespace DnsMcs.Tests.Cli;

public sealed class RunnerReadinessTests
{
    public static TheoryData<bool, string[], bool, string> Cases => new()
    {
        // running, problems the runner reports, ready, reason
        { false, [], false, "not running" },
        { true, [], true, "OK" },
        { true, ["member b: ServiceImport is not served"], false, "member b: ServiceImport is not served" },
        { true, ["member a: RBAC forbids get on Lease x/y", "member b: ServiceImport is not served"], false, "member a: RBAC forbids get on Lease x/y; member b: ServiceImport is not served" },
        { false, ["member b: ServiceImport is not served"], false, "not running" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_RunningAndProblems_ReadyOnlyWhenRunningWithoutProblems(bool running, string[] problems, bool ready, string reason)
    {
        var readiness = new RunnerReadiness(() => problems) { Running = running };

        var report = readiness.Check();

        Assert.Equal(ready, report.IsReady);
        Assert.Equal(reason, report.Reason);
    }
}
