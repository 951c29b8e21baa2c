using System.Diagnostics;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Metrics;
using DnsMcs.Zone;

namespace DnsMcs.Tests.Metrics;

public sealed class DnsMcsMetricsTests
{
    [Fact]
    public void Scrape_SourcesControllersAndIndex_WritesBoundedSeries()
    {
        using var metrics = new DnsMcsMetrics();
        using var collector = new MetricsCollector([metrics.Meter]);
        metrics.SetIndexCounts(() => new IndexCounts(12, 340, 3));
        var east = metrics.ForSource("east");
        var west = metrics.ForSource("west");
        east.WatchEvent(SourceResource.EndpointSlice, WatchEventKind.Added);
        east.WatchEvent(SourceResource.EndpointSlice, WatchEventKind.Added);
        east.Relist(SourceResource.ServiceImport);
        west.Reconnect(SourceResource.EndpointSlice);
        west.Error(SourceResource.ServiceImport);
        east.SetSynced(true);
        var controller = metrics.ForController("serviceexport-serviceimport", () => 7);
        controller.Reconciled(ReconcileResult.Success);
        controller.Error();
        controller.SetLeader(true);
        metrics.RecordProgramming(TimeSpan.FromMilliseconds(20));

        var exposition = Exposition.Parse(collector.Scrape());

        Assert.Equal(12, exposition.Value("dnsmcs_index_services"));
        Assert.Equal(340, exposition.Value("dnsmcs_index_endpoints"));
        Assert.Equal(3, exposition.Value("dnsmcs_index_clusters"));
        Assert.Equal(2, exposition.Value("dnsmcs_source_watch_events_total", ("source", "east"), ("resource", "endpointslices"), ("event", "added")));
        Assert.Equal(1, exposition.Value("dnsmcs_source_relists_total", ("source", "east"), ("resource", "serviceimports")));
        Assert.Equal(1, exposition.Value("dnsmcs_source_reconnects_total", ("source", "west"), ("resource", "endpointslices")));
        Assert.Equal(1, exposition.Value("dnsmcs_source_errors_total", ("source", "west"), ("resource", "serviceimports")));
        Assert.Equal(1, exposition.Value("dnsmcs_source_synced", ("source", "east")));
        Assert.Equal(0, exposition.Value("dnsmcs_source_synced", ("source", "west")));
        Assert.Equal(1, exposition.Value("dnsmcs_controller_reconciles_total", ("controller", "serviceexport-serviceimport"), ("result", "success")));
        Assert.Equal(1, exposition.Value("dnsmcs_controller_errors_total"));
        Assert.Equal(7, exposition.Value("dnsmcs_controller_queue_depth"));
        Assert.Equal(1, exposition.Value("dnsmcs_controller_leader"));
        Assert.Equal(1, exposition.Value("dnsmcs_programming_duration_seconds_bucket", ("le", "0.025")));
        Assert.Equal(0, exposition.Value("dnsmcs_programming_duration_seconds_bucket", ("le", "0.01")));
        ExpositionAssert.HistogramsConsistent(exposition);
    }

    [Fact]
    public void Scrape_IndexRejections_OneSeriesPerReasonFromTheIndex()
    {
        using var metrics = new DnsMcsMetrics();
        using var collector = new MetricsCollector([metrics.Meter]);
        var index = new ClusterSetIndex(new ZoneOptions());
        metrics.SetIndexRejections(index.RejectedCount);
        index.PutService(new Zone.Model.ServiceInfo("shop", "web", Zone.Model.ServiceType.ClusterSetIP, [], [new Zone.Model.PortInfo(new string('p', 63), "TCP", 80)]));

        var exposition = Exposition.Parse(collector.Scrape());

        Assert.Equal(1, exposition.Value("dnsmcs_index_rejected_total", ("reason", "label_too_long")));
        Assert.Equal(0, exposition.Value("dnsmcs_index_rejected_total", ("reason", "name_too_long")));
        Assert.Equal(0, exposition.Value("dnsmcs_index_rejected_total", ("reason", "build_failed")));
    }

    [Fact]
    public void ForSource_SameName_ReturnsSameHandle()
    {
        using var metrics = new DnsMcsMetrics();

        Assert.Same(metrics.ForSource("east"), metrics.ForSource("east"));
    }

    [ToolFact("promtool", "promtool from the prometheus package")]
    public void Scrape_AllMetrics_PassesPromtoolCheck()
    {
        var promtool = ExternalTool.Find("promtool")!;
        using var dns = new DnsMetrics("dns://:53", "clusterset.local.");
        using var ours = new DnsMcsMetrics();
        using var process = new ProcessMetrics();
        using var collector = new MetricsCollector([dns.Meter, ours.Meter, process.Meter]);
        dns.RecordQuery(DnsTransport.Udp, AddressFamily.InterNetwork, DnsRecordType.A, DnsResponseCode.NoError, 40, 60, Stopwatch.GetTimestamp());
        dns.RecordQuery(DnsTransport.Tcp, AddressFamily.InterNetworkV6, DnsRecordType.AAAA, DnsResponseCode.ServFail, 40, 60, Stopwatch.GetTimestamp());
        ours.SetIndexCounts(() => new IndexCounts(1, 2, 1));
        ours.ForSource("local").WatchEvent(SourceResource.ServiceImport, WatchEventKind.Modified);
        ours.ForController("serviceexport-serviceimport").Reconciled(ReconcileResult.Unchanged);
        ours.RecordProgramming(TimeSpan.FromSeconds(0.2));

        var scrape = collector.Scrape();
        var (exit, stdout, stderr) = ExternalTool.Run(promtool, "check metrics", scrape);

        Assert.True(exit == 0, $"promtool check metrics failed ({exit}):\n{stdout}\n{stderr}");
        Assert.Contains("\nprocess_cpu_seconds_total ", scrape, StringComparison.Ordinal);
        Assert.Contains("\ncoredns_panics_total 0\n", scrape, StringComparison.Ordinal);
    }
}
