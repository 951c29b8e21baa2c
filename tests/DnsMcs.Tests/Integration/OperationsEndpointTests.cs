using System.Diagnostics;
using System.Net;
using DnsMcs.Tests.Metrics;

namespace DnsMcs.Tests.Integration;

/// <summary>
/// The running <c>dnsmcs serve</c> as Prometheus and the kubelet see it: /metrics in CoreDNS's names after real
/// dig queries, /ready 503 until the sources have synced, /health 200; and a Corefile with reload, edited live.
/// </summary>
public sealed class OperationsEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Serve_WithHttpEndpoints_ServesMetricsHealthAndReady()
    {
        var dir = FixtureDirectory();
        var (port, metrics, health, ready) = Ports4();
        await using var process = DnsMcsProcess.Start(
            "serve", "--listen", DnsMcsProcess.Listen(port), "--manifests", dir,
            "--metrics", DnsMcsProcess.Listen(metrics), "--health", DnsMcsProcess.Listen(health), "--ready", DnsMcsProcess.Listen(ready));
        await process.WaitUntilAnsweringAsync(port, ServerFixture.Zone);

        // The HTTP endpoints start right after the DNS listeners; wait for them as a kubelet would.
        var healthy = await Eventually(() => Http.GetAsync(Url(health, "/health")), r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        await Dig.QueryAsync(port, "web.shop.svc.clusterset.local", "A");
        await Dig.QueryAsync(port, "nosuch.svc.clusterset.local", "A", "+tcp");

        var readiness = await Eventually(() => Http.GetAsync(Url(ready, "/ready")), r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);

        var text = await Http.GetStringAsync(Url(metrics, "/metrics"));
        Assert.Contains("# TYPE coredns_dns_requests_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"coredns_dns_requests_total\{[^}]*proto=""udp""[^}]*type=""A""[^}]*\} [1-9]", text);
        Assert.Matches(@"coredns_dns_responses_total\{[^}]*rcode=""NXDOMAIN""[^}]*\} [1-9]", text);
        Assert.Contains("coredns_dns_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Matches(@"dnsmcs_\w*services\w* [1-9]", text);
        Assert.Contains("\ncoredns_panics_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("\ndnsmcs_source_synced{source=\"manifests\"} 1\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\ndnsmcs_source_watch_events_total\{event=""added"",resource=""manifests"",source=""manifests""\} [1-9]", text);
        foreach (var name in new[] { "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes", "process_start_time_seconds", "process_open_fds", "process_max_fds" })
        {
            Assert.Matches($@"\n{name} [0-9]", text);
        }
    }

    [ToolFact("promtool", "promtool from the prometheus package")]
    public async Task Serve_Metrics_PassPromtoolCheck()
    {
        var (port, metrics, _, _) = Ports4();
        await using var process = DnsMcsProcess.Start(
            "serve", "--listen", DnsMcsProcess.Listen(port), "--manifests", FixtureDirectory(),
            "--metrics", DnsMcsProcess.Listen(metrics), "--health", "off", "--ready", "off");
        await process.WaitUntilAnsweringAsync(port, ServerFixture.Zone);
        await Dig.QueryAsync(port, "web.shop.svc.clusterset.local", "A");

        var response = await Eventually(() => Http.GetAsync(Url(metrics, "/metrics")), r => r.StatusCode == HttpStatusCode.OK);
        var (code, output) = await RunAsync(ExternalTool.Find("promtool")!, ["check", "metrics"], await response.Content.ReadAsStringAsync());

        Assert.True(code == 0, "promtool check metrics: " + output);
    }

    [Fact]
    public async Task Serve_SourceNeverSyncs_ReadyIs503WithTheReasonWhileHealthIsOk()
    {
        // A kubeconfig pointing at a closed port: the Kubernetes source never lists, so never syncs.
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"dnsmcs-kc-{Guid.NewGuid():N}");
        var server = "http://127.0.0.1:" + DnsMcsProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: "{server}"
            users:
            - name: u
              user:
                token: t
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x
            """);
        var (port, health, ready, _) = Ports4();
        await using var process = DnsMcsProcess.Start(
            "serve", "--listen", DnsMcsProcess.Listen(port), "--source", "kubernetes", "--kubeconfig", kubeconfig,
            "--metrics", "off", "--health", DnsMcsProcess.Listen(health), "--ready", DnsMcsProcess.Listen(ready));

        var readiness = await Eventually(() => Http.GetAsync(Url(ready, "/ready")), r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Contains("not synced", await readiness.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var healthy = await Eventually(() => Http.GetAsync(Url(health, "/health")), r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);

        // Negative answers are SERVFAIL until the first list (the contract's sync gate).
        var nx = await Dig.QueryAsync(port, "nosuch.svc.clusterset.local", "A");
        Assert.Equal("SERVFAIL", nx.Status);
        File.Delete(kubeconfig);
    }

    [Fact]
    public async Task Serve_CorefileWithReload_AppliesANewTtlWithoutRestart()
    {
        var dir = FixtureDirectory();
        var port = DnsMcsProcess.FreePort();
        var corefile = Path.Combine(dir, "..", $"Corefile-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(corefile, Corefile(port, dir, ttl: 5));
        await using var process = DnsMcsProcess.Start("serve", "--config", corefile);
        await process.WaitUntilAnsweringAsync(port, ServerFixture.Zone);
        Assert.Contains(" 5 IN A ", Assert.Single((await Dig.QueryAsync(port, "web.shop.svc.clusterset.local", "A")).Answer), StringComparison.Ordinal);

        await File.WriteAllTextAsync(corefile, Corefile(port, dir, ttl: 42));

        var reloaded = await Eventually(
            () => Dig.QueryAsync(port, "web.shop.svc.clusterset.local", "A"),
            r => r.Answer.Any(a => a.Contains(" 42 IN A ", StringComparison.Ordinal)));
        Assert.Contains(" 42 IN A ", Assert.Single(reloaded.Answer), StringComparison.Ordinal);
        File.Delete(corefile);
    }

    [Fact]
    public async Task Serve_LogQueries_OneCoreDnsStyleLinePerQuery()
    {
        var dir = FixtureDirectory();
        var port = DnsMcsProcess.FreePort();
        await using var process = DnsMcsProcess.Start("serve", "--listen", DnsMcsProcess.Listen(port), "--manifests", dir, "--log-queries");
        await process.WaitUntilAnsweringAsync(port, ServerFixture.Zone);

        await Dig.QueryAsync(port, "web.shop.svc.clusterset.local", "A");
        await Dig.QueryAsync(port, "nosuch.svc.clusterset.local", "AAAA", "+tcp");

        var deadline = Stopwatch.StartNew();
        while (!process.Output.Contains("nosuch", StringComparison.Ordinal) && deadline.Elapsed < DnsMcsProcess.Patience)
        {
            await Task.Delay(100);
        }

        // {remote}:{port} - {id} "{type} {class} {name} {proto} {size} {do} {bufsize}" {rcode} {rflags} {rsize} {duration}
        Assert.Matches(@"127\.0\.0\.1:\d+ - \d+ ""A IN web\.shop\.svc\.clusterset\.local\. udp \d+ false \d+"" NOERROR qr,aa(,rd)? \d+ [0-9.]+s", process.Output);
        Assert.Matches(@"127\.0\.0\.1:\d+ - \d+ ""AAAA IN nosuch\.svc\.clusterset\.local\. tcp \d+ false \d+"" NXDOMAIN qr,aa(,rd)? \d+ [0-9.]+s", process.Output);
    }

    private static string Corefile(int port, string manifests, int ttl) => $$"""
        clusterset.local:{{port}} {
            bind 127.0.0.1
            manifests {{manifests}}
            ttl {{ttl}}
            errors
            reload 2s 1s
        }
        """;

    private static string FixtureDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"dnsmcs-ops-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        FixtureManifests.WriteAll(dir);
        return dir;
    }

    /// <summary>Four free ports, all different (two probes in a row may be handed the same one).</summary>
    private static (int, int, int, int) Ports4()
    {
        var ports = new HashSet<int>();
        while (ports.Count < 4)
        {
            ports.Add(DnsMcsProcess.FreePort());
        }

        var list = ports.ToList();
        return (list[0], list[1], list[2], list[3]);
    }

    private static Uri Url(int port, string path) => new($"http://127.0.0.1:{port}{path}");

    private static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value) || deadline.Elapsed > DnsMcsProcess.Patience)
                {
                    return value;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < DnsMcsProcess.Patience)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string input)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
