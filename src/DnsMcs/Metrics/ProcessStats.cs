using System.Globalization;

namespace DnsMcs.Metrics;

/// <summary>
/// The process figures Prometheus clients export as <c>process_*</c>, read the way client_golang's procfs
/// collector reads them on Linux: <c>/proc/self/stat</c> (CPU ticks, start time, virtual and resident size),
/// <c>/proc/stat</c> (boot time), <c>/proc/self/fd</c> and the soft limit in <c>/proc/self/limits</c>.
/// Elsewhere the runtime's <see cref="System.Diagnostics.Process"/> gives what it can and file descriptors are absent.
/// </summary>
internal readonly record struct ProcessStats(double CpuSeconds, long VirtualBytes, long ResidentBytes, double StartTimeSeconds, long? OpenFds, long? MaxFds)
{
    // USER_HZ: the kernel reports times in /proc in these units; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static ProcessStats Read()
    {
        if (OperatingSystem.IsLinux()
            && TryReadText("/proc/self/stat", out var stat)
            && TryReadText("/proc/stat", out var system)
            && TryParseBootTime(system, out var bootTime)
            && TryParseStat(stat, Environment.SystemPageSize, bootTime, out var stats))
        {
            return stats with
            {
                OpenFds = CountOpenFds(),
                MaxFds = TryReadText("/proc/self/limits", out var limits) ? ParseMaxOpenFiles(limits) : null,
            };
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new ProcessStats(
            process.TotalProcessorTime.TotalSeconds,
            process.VirtualMemorySize64,
            process.WorkingSet64,
            new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0,
            null,
            null);
    }

    /// <summary>
    /// Parses <c>/proc/[pid]/stat</c>. The command name (field 2) is in parentheses and may itself hold spaces and
    /// parentheses, so fields are counted from the last ')': utime 14, stime 15, starttime 22, vsize 23, rss 24 (pages).
    /// </summary>
    public static bool TryParseStat(string text, long pageSize, double bootTimeSeconds, out ProcessStats stats)
    {
        stats = default;
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        // fields[0] is field 3 (state).
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int First = 3;
        if (fields.Length < 24 - First + 1
            || !TryLong(fields[14 - First], out var utime)
            || !TryLong(fields[15 - First], out var stime)
            || !TryLong(fields[22 - First], out var startTicks)
            || !TryLong(fields[23 - First], out var virtualBytes)
            || !TryLong(fields[24 - First], out var residentPages))
        {
            return false;
        }

        stats = new ProcessStats(
            (utime + stime) / TicksPerSecond,
            virtualBytes,
            residentPages * pageSize,
            bootTimeSeconds + (startTicks / TicksPerSecond),
            null,
            null);
        return true;
    }

    /// <summary>The <c>btime</c> line of <c>/proc/stat</c>: when the system booted, in seconds since the epoch.</summary>
    public static bool TryParseBootTime(string text, out double bootTimeSeconds)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("btime ") && long.TryParse(line[6..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                bootTimeSeconds = seconds;
                return true;
            }
        }

        bootTimeSeconds = 0;
        return false;
    }

    /// <summary>The soft limit of the "Max open files" row of <c>/proc/self/limits</c>; null when unlimited or absent.</summary>
    public static long? ParseMaxOpenFiles(string text)
    {
        const string Row = "Max open files";
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(Row))
            {
                var rest = line[Row.Length..].TrimStart();
                var end = rest.IndexOf(' ');
                var soft = end < 0 ? rest : rest[..end];
                return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }

    private static long? CountOpenFds()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool TryReadText(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static bool TryLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
