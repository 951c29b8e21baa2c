using DnsMcs.Controller.Sync;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;

namespace DnsMcs.Controller.Tests.Sync;

public sealed class ExportConditionsTests
{
    private static readonly DateTimeOffset Earlier = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void Desired_TwoConflicts_ReasonsJoinedByComma()
    {
        ExportConflict[] conflicts = [new(ExportConflict.TypeConflict, "type"), new(ExportConflict.PortConflict, "port 1"), new(ExportConflict.PortConflict, "port 2")];

        var conflict = ExportConditions.Desired(null, conflicts, withReady: false, 1).Single(c => c.Type == "Conflict");

        Assert.Equal("True", conflict.Status);
        Assert.Equal("TypeConflict,PortConflict", conflict.Reason);
    }

    public static TheoryData<string?, string?, string> ReadyCases => new()
    {
        // invalid reason, conflict reason, Ready status
        { null, null, "True" },
        { null, ExportConflict.PortConflict, "True" },
        { null, ExportConflict.TypeConflict, "False" },
        { "NoService", null, "False" },
    };

    [Theory]
    [MemberData(nameof(ReadyCases))]
    public void Desired_WithReady_TrueOnlyWhenEndpointsAreImported(string? invalid, string? conflict, string ready)
    {
        var conditions = ExportConditions.Desired(invalid is null ? null : (invalid, "why"), conflict is null ? [] : [new ExportConflict(conflict, "why")], withReady: true, 1);

        Assert.Equal(ready, conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public void Merge_SameConditions_NothingToWrite()
    {
        var current = Stamped(ExportConditions.Desired(null, [], withReady: true, 1));

        Assert.Null(ExportConditions.Merge(current, ExportConditions.Desired(null, [], withReady: true, 1), Now));
    }

    [Fact]
    public void Merge_StatusUnchangedMessageChanged_KeepsTransitionTime()
    {
        var current = Stamped(ExportConditions.Desired(("NoService", "old text"), [], withReady: false, 1));

        var merged = ExportConditions.Merge(current, ExportConditions.Desired(("InvalidServiceType", "new text"), [], withReady: false, 1), Now)!;

        var valid = merged.Single(c => c.Type == "Valid");
        Assert.Equal("InvalidServiceType", valid.Reason);
        Assert.Equal(Earlier, valid.LastTransitionTime);
    }

    [Fact]
    public void Merge_StatusFlips_NewTransitionTimeInWholeSecondsAndOtherTypesKept()
    {
        var current = Stamped(ExportConditions.Desired(("NoService", "gone"), [], withReady: false, 1));
        current.Add(new Condition { Type = "SomeoneElses", Status = "True", LastTransitionTime = Earlier });

        var merged = ExportConditions.Merge(current, ExportConditions.Desired(null, [], withReady: false, 2), Now)!;

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), merged.Single(c => c.Type == "Valid").LastTransitionTime);
        Assert.Equal(Earlier, merged.Single(c => c.Type == "Conflict").LastTransitionTime);
        Assert.Contains(merged, c => c.Type == "SomeoneElses");
    }

    private static List<Condition> Stamped(List<Condition> conditions)
    {
        conditions.ForEach(c => c.LastTransitionTime = Earlier);
        return conditions;
    }
}
