using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DnsMcs.FakeApiServer;

/// <summary>
/// A real <c>dnsmcs serve</c> in its own process, on free loopback ports, watching the fake API server through a
/// kubeconfig: what the benchmark measures from outside (its /proc status, its /metrics, its answers).
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private ServeProcess(Process process, int dnsPort, int metricsPort, int readyPort)
    {
        _process = process;
        DnsEndpoint = new IPEndPoint(IPAddress.Loopback, dnsPort);
        MetricsPort = metricsPort;
        ReadyPort = readyPort;
    }

    public IPEndPoint DnsEndpoint { get; }

    public int MetricsPort { get; }

    public int ReadyPort { get; }

    public int Id => _process.Id;

    /// <param name="dnsmcs">dnsmcs.dll (run with dotnet) or the dnsmcs executable.</param>
    /// <param name="environment">Extra variables (DOTNET_GC* settings under trial), as NAME=VALUE.</param>
    public static ServeProcess Start(string dnsmcs, string kubeconfig, IEnumerable<string> environment)
    {
        var dnsPort = FreeDnsPort();
        var metricsPort = FreeTcpPort();
        var readyPort = FreeTcpPort();
        var healthPort = FreeTcpPort();
        var start = new ProcessStartInfo(dnsmcs.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : dnsmcs)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dnsmcs.EndsWith(".dll", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(dnsmcs);
        }

        foreach (var argument in new[]
        {
            "serve", "--source", "kubernetes", "--kubeconfig", kubeconfig, "--listen", $"127.0.0.1:{dnsPort}",
            "--metrics", $"127.0.0.1:{metricsPort}", "--ready", $"127.0.0.1:{readyPort}", "--health", $"127.0.0.1:{healthPort}",
            "--no-errors",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in environment)
        {
            var eq = variable.IndexOf('=', StringComparison.Ordinal);
            start.Environment[variable[..eq]] = variable[(eq + 1)..];
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dnsmcs}");

        // Drain its output so a chatty child never blocks on a full pipe; keep warnings visible.
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServeProcess(process, dnsPort, metricsPort, readyPort);
    }

    /// <summary>Polls /ready until 200; false if the process exits or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{ReadyPort}/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>VmRSS and VmHWM from /proc/PID/status, in bytes.</summary>
    public (long Rss, long Peak) ProcStatus()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (rss, peak);
    }

    /// <summary>The value of an unlabelled series on /metrics, or null when it is not there.</summary>
    public async Task<double?> MetricAsync(string name)
    {
        var text = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private static void Echo(string? line)
    {
        if (line is not null && (line.Contains("warn", StringComparison.OrdinalIgnoreCase) || line.Contains("fail", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine("dnsmcs: " + line);
        }
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 (the system picks it; we release it for the child).</summary>
    private static int FreeDnsPort()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for TCP: try another
            }
        }
    }

    private static int FreeTcpPort()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)tcp.LocalEndPoint!).Port;
    }
}
