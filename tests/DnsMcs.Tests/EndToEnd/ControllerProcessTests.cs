using DnsMcs.FakeKubeApi;
using DnsMcs.Tests.Integration;

namespace DnsMcs.Tests.EndToEnd;

/// <summary><c>dnsmcs controller</c> as a real process between two fake member clusters.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ControllerProcessTests
{
    private const string Ns = "shop";

    [Fact]
    public async Task Controller_ExportInA_ImportsIntoBServesHealthAndStopsCleanlyOnSigterm()
    {
        await using var a = await FakeMember.StartAsync();
        await using var b = await FakeMember.StartAsync();
        a.Namespace(Ns);
        b.Namespace(Ns);
        var health = DnsMcsProcess.Listen(DnsMcsProcess.FreePort());
        var ready = DnsMcsProcess.Listen(DnsMcsProcess.FreePort());
        var metrics = DnsMcsProcess.Listen(DnsMcsProcess.FreePort());
        await using var controller = DnsMcsProcess.Start(
            "controller", "--member", $"a={a.KubeconfigPath}", "--member", $"b={b.KubeconfigPath}", "--leader-elect=false",
            "--health", health, "--ready", ready, "--metrics", metrics);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        async Task<bool> OkAsync(string address, string path)
        {
            try
            {
                return (await http.GetAsync(new Uri($"http://{address}{path}"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        await Eventually.TrueAsync(async () => await OkAsync(health, "/health") && await OkAsync(ready, "/ready"), () => $"/health and /ready answering 200; controller output:\n{controller.Output}");

        a.Service(Ns, "cart");
        a.Slice(Ns, "cart", "cart-abc", ["10.1.0.1", "10.1.0.2"]);
        a.Export(Ns, "cart");

        await Eventually.TrueAsync(
            () => b.Import(Ns, "cart")?["spec"]?["ips"]?.AsArray().Count == 1 && b.DerivedClusterIp(Ns, "cart") is not null && b.McsSlices(Ns, "cart").Count == 1,
            () => $"ServiceImport, derived Service and EndpointSlice of {Ns}/cart in b; controller output:\n{controller.Output}");
        var import = b.Import(Ns, "cart")!;
        Assert.Equal("ClusterSetIP", import["spec"]!["type"]!.GetValue<string>());
        Assert.Equal(b.DerivedClusterIp(Ns, "cart"), import["spec"]!["ips"]![0]!.GetValue<string>());
        var slice = b.McsSlices(Ns, "cart").Single();
        Assert.Equal("a", slice["metadata"]!["labels"]!["multicluster.kubernetes.io/source-cluster"]!.GetValue<string>());
        Assert.Equal(["10.1.0.1", "10.1.0.2"], slice["endpoints"]!.AsArray().Select(e => e!["addresses"]![0]!.GetValue<string>()));

        // The reconciles that did this are counted, by result, under dnsmcs_controller_*.
        var exposition = await http.GetStringAsync(new Uri($"http://{metrics}/metrics"));
        Assert.Matches(@"dnsmcs_controller_reconciles_total\{[^}]*result=""success""[^}]*\} [1-9]", exposition);
        Assert.Contains("dnsmcs_controller_queue_depth", exposition, StringComparison.Ordinal);

        controller.Terminate();
        var exitCode = await controller.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{controller.Output}");
        Assert.Contains("Stopped", controller.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_MemberWithoutMcsCrds_ReadyIs503NamingMemberAndFix()
    {
        await using var a = await FakeMember.StartAsync();
        await using var b = await FakeMember.StartAsync([FakeResource.Namespaces, FakeResource.Services, FakeResource.EndpointSlices, FakeResource.Leases]);
        var ready = DnsMcsProcess.Listen(DnsMcsProcess.FreePort());
        await using var controller = DnsMcsProcess.Start("controller", "--member", $"a={a.KubeconfigPath}", "--member", $"b={b.KubeconfigPath}", "--ready", ready);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        async Task<string?> ReadyAsync()
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{ready}/ready"));
                return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }

        string? answer = null;
        await Eventually.TrueAsync(async () => (answer = await ReadyAsync())?.StartsWith("503 member b", StringComparison.Ordinal) == true, () => $"/ready naming member b; last: {answer}; controller output:\n{controller.Output}");

        Assert.Contains("ServiceExport and ServiceImport are not served", answer, StringComparison.Ordinal);
        Assert.Contains("apply -k deploy/crds", answer, StringComparison.Ordinal);

        // /ready reads the problem list directly; the log line reaches the output through the console logger's queue
        // and the pipe, so it may arrive a little later. Once it is there, it must be there once.
        const string logged = "member b: ServiceExport and ServiceImport are not served";
        await Eventually.TrueAsync(() => controller.Output.Contains(logged, StringComparison.Ordinal), () => $"the problem logged; controller output:\n{controller.Output}");
        Assert.Single(controller.Output.Split('\n'), l => l.Contains(logged, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "a", "dnsmcs-system", "dnsmcs-controller")]
    [InlineData("--lease-member b --lease-namespace ops --lease-name lock", "b", "ops", "lock")]
    public async Task Controller_LeaderElection_HoldsTheLeaseWhereToldAndReleasesItOnSigterm(string flags, string leaseMember, string leaseNamespace, string leaseName)
    {
        await using var a = await FakeMember.StartAsync();
        await using var b = await FakeMember.StartAsync();
        var members = new Dictionary<string, FakeMember> { ["a"] = a, ["b"] = b };
        a.Namespace(Ns);
        b.Namespace(Ns);
        string[] arguments = ["controller", "--member", $"a={a.KubeconfigPath}", "--member", $"b={b.KubeconfigPath}", "--identity", "e2e-1", .. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        await using var controller = DnsMcsProcess.Start(arguments);
        var store = members[leaseMember].Store;
        string? Holder() => store.Get(FakeResource.Leases, leaseNamespace, leaseName)?["spec"]?["holderIdentity"]?.GetValue<string>();

        await Eventually.TrueAsync(() => Holder() == "e2e-1", () => $"Lease {leaseNamespace}/{leaseName} in {leaseMember} held by e2e-1; controller output:\n{controller.Output}");
        a.Service(Ns, "cart");
        a.Export(Ns, "cart");
        await Eventually.TrueAsync(() => b.Import(Ns, "cart") is not null, () => $"the leader importing {Ns}/cart into b; controller output:\n{controller.Output}");

        controller.Terminate();
        var exitCode = await controller.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{controller.Output}");
        Assert.Equal(string.Empty, Holder());
    }

    [Fact]
    public async Task Controller_UnreadableKubeconfig_ExitsOneNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"dnsmcs-missing-{Guid.NewGuid():N}", "kubeconfig");
        await using var controller = DnsMcsProcess.Start("controller", "--member", $"a={missing}", "--leader-elect=false");

        var exitCode = await controller.WaitForExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains($"kubeconfig {missing} does not exist", controller.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("controller", "--member a=/k --workers 0", "--workers must be between 1 and 256")]
    [InlineData("controller", "--import-policy all", "--member")]
    [InlineData("probe", "--interval 1m --timeout 2m", "--timeout must be shorter than --interval")]
    public async Task Command_BadFlags_ExitsNonZeroSayingWhy(string command, string flags, string message)
    {
        await using var process = DnsMcsProcess.Start([command, .. flags.Split(' ')]);

        var exitCode = await process.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("controller", "--member,--import-policy,--auto-export-namespace-prefix,--stale-cluster-timeout,--resync-period,--leader-elect,--lease-member,--lease-namespace,--lease-name,--identity,--workers,--log-format,--health,--ready,--metrics")]
    [InlineData("probe", "--kubeconfig,--context,--cluster,--namespace,--interval,--timeout,--failure-threshold,--success-threshold,--concurrency,--log-format,--health,--ready")]
    public async Task Command_Help_DescribesEveryOption(string command, string options)
    {
        await using var process = DnsMcsProcess.Start(command, "--help");

        Assert.Equal(0, await process.WaitForExitAsync());
        foreach (var option in options.Split(','))
        {
            Assert.Contains(option, process.Output, StringComparison.Ordinal);
        }
    }
}
