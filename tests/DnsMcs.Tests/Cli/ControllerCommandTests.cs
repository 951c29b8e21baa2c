using System.Net;
using DnsMcs.Cli;
using DnsMcs.Configuration;
using DnsMcs.Controller;

namespace DnsMcs.Tests.Cli;

public sealed class ControllerCommandTests : IDisposable
{
    // A service account folder with no namespace file: the Lease namespace falls back to dnsmcs-system.
    private readonly string _noServiceAccount = Path.Combine(Path.GetTempPath(), $"dnsmcs-no-sa-{Guid.NewGuid():N}");

    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["controller"], "--member" },
        { ["controller", "--member", "east"], "--member 'east' is not NAME=KUBECONFIG[@CONTEXT]." },
        { ["controller", "--member", "=/k"], "is not NAME=KUBECONFIG[@CONTEXT]" },
        { ["controller", "--member", "East=/k"], "cluster id 'East' is not a DNS name" },
        { ["controller", "--member", "a_b=/k"], "is not a DNS name" },
        { ["controller", "--member", "-a=/k"], "is not a DNS name" },
        { ["controller", "--member", "a..b=/k"], "has an empty label" },
        { ["controller", "--member", "a.b.c=/k"], "has more than two labels" },
        { ["controller", "--member", $"{new string('a', 64)}=/k"], "longer than 63 characters" },
        { ["controller", "--member", $"{new string('a', 40)}.{new string('b', 40)}=/k"], "longer than 63 characters" },
        { ["controller", "--member", "a=/k", "--member", "a=/j"], "--member a is given twice" },
        { ["controller", "--member", "a=/k@"], "the context after '@' is empty" },
        { ["controller", "--member", "a=@ctx"], "a context needs a kubeconfig" },
        { ["controller", "--member", "a=/k", "--import-policy", "some"], "--import-policy: 'some' is not one of all, explicit" },
        { ["controller", "--member", "a=/k", "--stale-cluster-timeout", "30"], "--stale-cluster-timeout: '30' is not a duration" },
        { ["controller", "--member", "a=/k", "--stale-cluster-timeout", "500ms"], "--stale-cluster-timeout must be at least 1s" },
        { ["controller", "--member", "a=/k", "--resync-period", "soon"], "--resync-period: 'soon' is not a duration" },
        { ["controller", "--member", "a=/k", "--resync-period", "0"], "--resync-period must be at least 1s" },
        { ["controller", "--member", "a=/k", "--workers", "0"], "--workers must be between 1 and 256; '0' is not" },
        { ["controller", "--member", "a=/k", "--workers", "many"], "--workers must be between 1 and 256; 'many' is not" },
        { ["controller", "--member", "a=/k", "--leader-elect=maybe"], "maybe" },
        { ["controller", "--member", "a=/k", "--lease-member", "b"], "--lease-member b is not one of the --member names" },
        { ["controller", "--member", "a=/k", "--lease-namespace", ""], "--lease-namespace must not be empty" },
        { ["controller", "--member", "a=/k", "--identity", " "], "--identity must not be empty" },
        { ["controller", "--member", "a=/k", "--auto-export-namespace-prefix", ""], "--auto-export-namespace-prefix must not be empty" },
        { ["controller", "--member", "a=/k", "--log-format", "xml"], "--log-format: 'xml' is not one of text, json" },
        { ["controller", "--member", "a=/k", "--members", "b=/j"], "--members" },
        { ["controller", "--member", "a=/k", "--health", "8080"], "--health" },
        { ["controller", "--member", "a=/k", "--ready", "[::1:8181"], "--ready" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Parse_BadArguments_ReportsWhy(string[] arguments, string message)
    {
        var (errors, bound) = await BindAsync(arguments);

        Assert.Null(bound);
        Assert.Contains(errors, error => error.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parse_OnlyMembers_TakesTheDefaults()
    {
        var (errors, bound) = await BindAsync(["controller", "--member", "east=/etc/k/east", "--member", "west.eu=/etc/k/west@admin@west"]);

        Assert.Empty(errors);
        var settings = bound!.Settings;
        Assert.Equal(
            [new MemberSettings("east", "/etc/k/east"), new MemberSettings("west.eu", "/etc/k/west@admin", "west")],
            settings.Members);
        var defaults = new ControllerSettings { Members = [] };
        Assert.Equal(ImportPolicy.All, settings.ImportPolicy);
        Assert.Empty(settings.AutoExportNamespacePrefixes);
        Assert.Null(settings.StaleClusterTimeout);
        Assert.Equal(defaults.ResyncPeriod, settings.ResyncPeriod);
        Assert.Equal(defaults.Workers, settings.Workers);
        Assert.True(settings.LeaderElection.Enabled);
        Assert.Null(settings.LeaderElection.Member);
        Assert.Equal(ControllerCommand.FallbackLeaseNamespace, settings.LeaderElection.Namespace);
        Assert.Equal("dnsmcs-controller", settings.LeaderElection.LeaseName);
        Assert.Null(settings.LeaderElection.Identity);
        Assert.Equal(new HostSettings(LogFormat.Text), bound.Host);
    }

    [Fact]
    public async Task Parse_EveryFlag_ReachesTheSettings()
    {
        var (errors, bound) = await BindAsync(
        [
            "controller", "--member", "a=", "--member", "b=/k/b@ctx",
            "--import-policy", "Explicit",
            "--auto-export-namespace-prefix", "mcs-", "--auto-export-namespace-prefix", "shared-",
            "--stale-cluster-timeout", "2m", "--resync-period", "1m30s", "--workers", "8",
            "--leader-elect=false", "--lease-member", "b", "--lease-namespace", "ops", "--lease-name", "lock", "--identity", "pod-1",
            "--log-format", "json", "--health", ":8080", "--ready", "127.0.0.1:8181",
        ]);

        Assert.Empty(errors);
        var settings = bound!.Settings;
        Assert.Equal([new MemberSettings("a"), new MemberSettings("b", "/k/b", "ctx")], settings.Members);
        Assert.Equal(ImportPolicy.Explicit, settings.ImportPolicy);
        Assert.Equal(["mcs-", "shared-"], settings.AutoExportNamespacePrefixes);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.StaleClusterTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.ResyncPeriod);
        Assert.Equal(8, settings.Workers);
        Assert.False(settings.LeaderElection.Enabled);
        Assert.Equal("b", settings.LeaderElection.Member);
        Assert.Equal("ops", settings.LeaderElection.Namespace);
        Assert.Equal("lock", settings.LeaderElection.LeaseName);
        Assert.Equal("pod-1", settings.LeaderElection.Identity);
        Assert.Equal(new HostSettings(LogFormat.Json, new IPEndPoint(IPAddress.Any, 8080), new IPEndPoint(IPAddress.Loopback, 8181)), bound.Host);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("none")]
    public async Task Parse_HttpEndpointsOff_LeavesThemOff(string off)
    {
        var (errors, bound) = await BindAsync(["controller", "--member", "a=/k", "--health", off, "--ready", off, "--metrics", off]);

        Assert.Empty(errors);
        Assert.Equal(new HostSettings(LogFormat.Text), bound!.Host);
    }

    [Theory]
    [InlineData("--leader-elect", true)]
    [InlineData("--leader-elect=true", true)]
    [InlineData("--leader-elect=false", false)]
    [InlineData("--leader-elect:false", false)]
    public async Task Parse_LeaderElectSpellings_AreUnderstood(string flag, bool expected)
    {
        var (errors, bound) = await BindAsync(["controller", "--member", "a=/k", flag]);

        Assert.Empty(errors);
        Assert.Equal(expected, bound!.Settings.LeaderElection.Enabled);
    }

    [Fact]
    public async Task Parse_DeploymentArgs_InClusterMemberAndMountedKubeconfig()
    {
        // The spelling deploy/controller/deployment.yaml uses.
        var (errors, bound) = await BindAsync(["controller", "--member=east=", "--member=west=/etc/dnsmcs/members/west", "--identity=pod-0", "--log-format=json", "--health=:8080", "--ready=:8181"]);

        Assert.Empty(errors);
        Assert.Equal([new MemberSettings("east"), new MemberSettings("west", "/etc/dnsmcs/members/west")], bound!.Settings.Members);
        Assert.Equal("pod-0", bound.Settings.LeaderElection.Identity);
        Assert.Equal(new HostSettings(LogFormat.Json, new IPEndPoint(IPAddress.Any, 8080), new IPEndPoint(IPAddress.Any, 8181)), bound.Host);
    }

    [Fact]
    public async Task Parse_InAPod_LeaseNamespaceIsThePodsNamespace()
    {
        Directory.CreateDirectory(_noServiceAccount);
        await File.WriteAllTextAsync(Path.Combine(_noServiceAccount, "namespace"), "dnsmcs\n");

        var (errors, bound) = await BindAsync(["controller", "--member", "a="]);

        Assert.Empty(errors);
        Assert.Equal("dnsmcs", bound!.Settings.LeaderElection.Namespace);
    }

    public void Dispose()
    {
        if (Directory.Exists(_noServiceAccount))
        {
            Directory.Delete(_noServiceAccount, recursive: true);
        }
    }

    private Task<(IReadOnlyList<string> Errors, Bound? Bound)> BindAsync(string[] arguments) =>
        CommandParsing.BindAsync<Bound>(
            record => ControllerCommand.Create((settings, host, token) => record(new Bound(settings, host), token), _noServiceAccount),
            arguments);

    private sealed record Bound(ControllerSettings Settings, HostSettings Host);
}
