using DnsMcs.Metrics;

namespace DnsMcs.Tests.Metrics;

public sealed class ProcessMetricsTests
{
    // A real /proc/self/stat line; the command name holds a space and a parenthesis, as a process may name itself.
    private const string Stat = "4242 (dns mcs) x) S 1 4242 4242 0 -1 4194560 12345 0 0 0 250 75 0 0 20 0 24 0 123456 "
        + "283115520 16000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0\n";

    public static TheoryData<string, bool, double, long, long, double> StatLines => new()
    {
        // text, parsed, cpu seconds ((utime + stime) / 100), virtual bytes, resident bytes (pages x 4096), start (boot + ticks / 100)
        { Stat, true, 3.25, 283115520, 16000L * 4096, 1_700_000_000 + 1234.56 },
        { "4242 (short) S 1 2 3", false, 0, 0, 0, 0 },
        { "no parentheses at all", false, 0, 0, 0, 0 },
        { Stat.Replace(" 250 75 ", " x 75 ", StringComparison.Ordinal), false, 0, 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(StatLines))]
    public void TryParseStat_Line_ReadsCpuMemoryAndStartTime(string text, bool parsed, double cpu, long virtualBytes, long residentBytes, double start)
    {
        var ok = ProcessStats.TryParseStat(text, 4096, 1_700_000_000, out var stats);

        Assert.Equal(parsed, ok);
        Assert.Equal(cpu, stats.CpuSeconds, 6);
        Assert.Equal(virtualBytes, stats.VirtualBytes);
        Assert.Equal(residentBytes, stats.ResidentBytes);
        Assert.Equal(start, stats.StartTimeSeconds, 6);
    }

    [Theory]
    [InlineData("Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n", 1024L)]
    [InlineData("Max cpu time              unlimited            unlimited            seconds\nMax open files            unlimited            unlimited            files\n", null)]
    [InlineData("Max processes             63464                63464                processes\n", null)]
    public void ParseMaxOpenFiles_Limits_ReadsTheSoftLimit(string text, long? expected) =>
        Assert.Equal(expected, ProcessStats.ParseMaxOpenFiles(text));

    [Theory]
    [InlineData("cpu  1 2 3\nintr 5\nctxt 99\nbtime 1700000000\nprocesses 7\n", true, 1_700_000_000d)]
    [InlineData("cpu  1 2 3\nctxt 99\n", false, 0d)]
    public void TryParseBootTime_ProcStat_ReadsBtime(string text, bool parsed, double expected)
    {
        Assert.Equal(parsed, ProcessStats.TryParseBootTime(text, out var boot));
        Assert.Equal(expected, boot);
    }

    [Fact]
    public void Scrape_ThisProcess_WritesTheSeriesPrometheusClientsExport()
    {
        using var metrics = new ProcessMetrics();
        using var collector = new MetricsCollector([metrics.Meter]);

        var exposition = Exposition.Parse(collector.Scrape());

        string[] always = ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes", "process_start_time_seconds", "dotnet_total_memory_bytes", "dotnet_gc_heap_size_bytes"];
        string[] linux = ["process_open_fds", "process_max_fds"];
        Assert.Equal(
            (OperatingSystem.IsLinux() ? [.. always, .. linux] : always).Order(StringComparer.Ordinal),
            exposition.Samples.Select(s => s.Name).Where(n => n != "dotnet_collection_count_total").Order(StringComparer.Ordinal));
        Assert.Equal(
            Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => g.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            exposition.Samples.Where(s => s.Name == "dotnet_collection_count_total").Select(s => s.Labels["generation"]));
        Assert.Equal("counter", exposition.Types["dotnet_collection_count_total"]);
        Assert.InRange(exposition.Value("dotnet_total_memory_bytes"), 1, exposition.Value("process_resident_memory_bytes"));
        Assert.Equal("counter", exposition.Types["process_cpu_seconds_total"]);
        Assert.Equal("gauge", exposition.Types["process_resident_memory_bytes"]);
        Assert.True(exposition.Value("process_resident_memory_bytes") > 0);
        Assert.True(exposition.Value("process_virtual_memory_bytes") >= exposition.Value("process_resident_memory_bytes"));
        var started = DateTimeOffset.FromUnixTimeMilliseconds((long)(exposition.Value("process_start_time_seconds") * 1000));
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        Assert.InRange((started - new DateTimeOffset(self.StartTime.ToUniversalTime())).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(2));
        if (OperatingSystem.IsLinux())
        {
            Assert.InRange(exposition.Value("process_open_fds"), 3, exposition.Value("process_max_fds"));
        }
    }
}
