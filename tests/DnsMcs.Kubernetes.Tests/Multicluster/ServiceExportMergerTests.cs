using DnsMcs.Kubernetes.Models;
using DnsMcs.Kubernetes.Multicluster;

namespace DnsMcs.Kubernetes.Tests.Multicluster;

public sealed class ServiceExportMergerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Merge_NoCandidates_IsNull()
    {
        Assert.Null(ServiceExportMerger.Merge([]));
    }

    [Fact]
    public void Merge_AgreeingExports_UnionOfPortsNoConflicts()
    {
        var merged = ServiceExportMerger.Merge(
        [
            Candidate("b", 2, "10.0.0.2", Port("http", 80)),
            Candidate("a", 1, "10.0.0.1", Port("http", 80), Port("metrics", 9090)),
        ])!;

        Assert.Equal("a", merged.OldestCluster);
        Assert.Equal(["a", "b"], merged.Clusters.Select(c => c.Cluster));
        Assert.Equal(ServiceImportTypes.ClusterSetIP, merged.Type);
        Assert.Equal(["http:80/TCP", "metrics:9090/TCP"], merged.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"));
        Assert.Empty(merged.Conflicts);
    }

    [Fact]
    public void Merge_TypeConflict_OldestWinsAndYoungerIsFlagged()
    {
        var merged = ServiceExportMerger.Merge(
        [
            Candidate("young", 5, "10.0.0.2", Port("http", 80)),
            Candidate("old", 1, "None", Port("http", 80)),
        ])!;

        Assert.Equal(ServiceImportTypes.Headless, merged.Type);
        Assert.Equal([ExportConflict.TypeConflict], merged.ConflictsOf("young").Select(c => c.Reason));
        Assert.Empty(merged.ConflictsOf("old"));
    }

    [Theory]
    [InlineData("http", 8080, "TCP")]
    [InlineData("http", 80, "UDP")]
    [InlineData("web", 80, "TCP")]
    public void Merge_PortClash_DroppedAndReportedOnTheYoungerExport(string name, int port, string protocol)
    {
        var merged = ServiceExportMerger.Merge(
        [
            Candidate("old", 1, "10.0.0.1", Port("http", 80)),
            Candidate("young", 2, "10.0.0.2", Port(name, port, protocol)),
        ])!;

        Assert.Equal(["http:80/TCP"], merged.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"));
        Assert.Equal([ExportConflict.PortConflict], merged.ConflictsOf("young").Select(c => c.Reason));
    }

    [Fact]
    public void Merge_SameTimestamp_TieBrokenByClusterName()
    {
        var merged = ServiceExportMerger.Merge([Candidate("z", 1, "None"), Candidate("m", 1, "10.0.0.1")])!;

        Assert.Equal("m", merged.OldestCluster);
        Assert.Equal(ServiceImportTypes.ClusterSetIP, merged.Type);
    }

    [Fact]
    public void Merge_SessionAffinityDiffers_Conflict()
    {
        var young = Candidate("young", 2, "10.0.0.2");
        young.Service.Spec!.SessionAffinity = "ClientIP";
        var merged = ServiceExportMerger.Merge([Candidate("old", 1, "10.0.0.1"), young])!;

        Assert.Equal([ExportConflict.SessionAffinityConflict], merged.ConflictsOf("young").Select(c => c.Reason));
    }

    [Theory]
    [InlineData(null, "NoService")]
    [InlineData("ExternalName", "InvalidServiceType")]
    [InlineData("ClusterIP", null)]
    [InlineData("LoadBalancer", null)]
    public void Validate_ServiceKinds_GivesValidReason(string? type, string? reason)
    {
        var service = type is null ? null : new Service { Spec = new ServiceSpec { Type = type } };

        Assert.Equal(reason, ServiceExportMerger.Validate(service)?.Reason);
    }

    private static ServicePort Port(string name, int port, string protocol = "TCP") => new() { Name = name, Port = port, Protocol = protocol };

    private static ExportCandidate Candidate(string cluster, int minutes, string clusterIp, params ServicePort[] ports) => new(
        cluster,
        new ServiceExport { Metadata = new ObjectMeta { Name = "web", Namespace = "shop", CreationTimestamp = T0.AddMinutes(minutes) } },
        new Service { Metadata = new ObjectMeta { Name = "web", Namespace = "shop" }, Spec = new ServiceSpec { ClusterIP = clusterIp, Ports = [.. ports] } });
}
