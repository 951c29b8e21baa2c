using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DnsMcs.Tests.Integration;

/// <summary>
/// The built <c>dnsmcs</c> running as a real process (<c>dotnet dnsmcs.dll serve …</c>), with its output captured
/// for failure messages. The test project references src/DnsMcs, so the build copies dnsmcs.dll and its
/// runtimeconfig next to the test assembly. With DNSMCS_EXECUTABLE set (.ci/run sets it to the native AOT build,
/// what the image ships), every process test runs that executable instead.
/// </summary>
internal sealed class DnsMcsProcess : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();

    private DnsMcsProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>The path of dnsmcs.dll beside the test assembly; fails with what to do if the build did not put it there.</summary>
    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "dnsmcs.dll");
            if (!File.Exists(path) || !File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")))
            {
                throw new InvalidOperationException(
                    $"dnsmcs.dll (and its runtimeconfig) not found in {AppContext.BaseDirectory}; the test project's reference to src/DnsMcs copies it there. Rebuild with `dotnet build tests/DnsMcs.Tests`.");
            }

            return path;
        }
    }

    /// <summary>The native executable under test (DNSMCS_EXECUTABLE), or null for <c>dotnet dnsmcs.dll</c>.</summary>
    public static string? Executable
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DNSMCS_EXECUTABLE") is not { Length: > 0 } path)
            {
                return null;
            }

            return File.Exists(path) ? Path.GetFullPath(path) : throw new InvalidOperationException($"DNSMCS_EXECUTABLE={path} does not exist");
        }
    }

    /// <summary>How to start dnsmcs: the executable under test, else the dotnet host with dnsmcs.dll as first argument.</summary>
    public static ProcessStartInfo StartInfo()
    {
        if (Executable is { } executable)
        {
            return new ProcessStartInfo(executable) { UseShellExecute = false };
        }

        var start = new ProcessStartInfo(DotnetHost()) { UseShellExecute = false };
        start.ArgumentList.Add(DllPath);
        return start;
    }

    /// <summary>Starts <c>dnsmcs</c> with <paramref name="arguments"/> and returns at once.</summary>
    public static DnsMcsProcess Start(params string[] arguments)
    {
        var start = StartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // serve turns /metrics, /health and /ready on at fixed ports (9153, 8080, 8181) by default; tests run
        // several servers at once, so those stay off unless a test asks for them on ports of its own.
        if (arguments is ["serve", ..] && !arguments.Any(a => a is "--metrics" or "--health" or "--ready" or "--config" or "-c" or "--help" or "-h"))
        {
            foreach (var flag in new[] { "--metrics", "--health", "--ready" })
            {
                start.ArgumentList.Add(flag);
                start.ArgumentList.Add("off");
            }
        }

        // Quiet the runtime's first-run chatter; keep the server's own log lines.
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new DnsMcsProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits for the process to exit on its own, within the safety net.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as Kubernetes does when it stops a pod.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            _ = SignalTerm(_process.Id);
        }
    }

    /// <summary>
    /// Polls the UDP port with a question for a name that cannot exist until the answer is NXDOMAIN: negative answers
    /// are SERVFAIL until every source has loaded, so this also waits for the manifests. Fails with the server's
    /// output if it exits first or the safety net runs out.
    /// </summary>
    public async Task WaitUntilAnsweringAsync(int port, string zone)
    {
        const int nxDomain = 3;
        var query = DnsPackets.Query(0x5EED, $"readiness-probe.{zone}", DnsPackets.TypeA);
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dnsmcs exited with code {_process.ExitCode} before answering:\n{Output}");
            }

            await client.SendAsync(query);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                var reply = await client.ReceiveAsync(wait.Token);
                if (reply.Buffer.Length >= DnsPackets.HeaderLength && DnsPackets.ResponseCode(reply.Buffer) == nxDomain)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                // Not listening yet.
            }
            catch (SocketException)
            {
                // ICMP port unreachable: not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"dnsmcs did not answer on port {port} within {Patience}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Terminate();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>A loopback port free for both UDP and TCP right now (a race with other processes remains; callers retry).</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP; try another.
            }
        }
    }

    public static string Listen(int port) => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int SignalTerm(int pid) => Kill(pid, 15);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }
}
