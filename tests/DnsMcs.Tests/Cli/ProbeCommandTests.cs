using System.Net;
using DnsMcs.Cli;
using DnsMcs.Configuration;
using DnsMcs.Controller;

namespace DnsMcs.Tests.Cli;

public sealed class ProbeCommandTests
{
    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["probe", "--cluster", "East"], "--cluster 'East' is not a DNS name" },
        { ["probe", "--interval", "10"], "--interval: '10' is not a duration" },
        { ["probe", "--interval", "50ms"], "--interval must be at least 100ms" },
        { ["probe", "--timeout", "1x"], "--timeout: '1x' is not a duration" },
        { ["probe", "--timeout", "10s"], "--timeout must be shorter than --interval" },
        { ["probe", "--interval", "1s", "--timeout", "1s"], "--timeout must be shorter than --interval" },
        { ["probe", "--failure-threshold", "0"], "--failure-threshold must be between 1 and 1000" },
        { ["probe", "--success-threshold", "1001"], "--success-threshold must be between 1 and 1000" },
        { ["probe", "--concurrency", "0"], "--concurrency must be between 1 and 10000" },
        { ["probe", "--log-format", "yaml"], "--log-format: 'yaml' is not one of text, json" },
        { ["probe", "--cluster-id", "east"], "--cluster-id" },
        { ["probe", "--health", "localhost"], "--health" },
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
    public async Task Parse_NoFlags_TakesTheDefaults()
    {
        var (errors, bound) = await BindAsync(["probe"]);

        Assert.Empty(errors);
        var defaults = new ProbeSettings();
        var settings = bound!.Settings;
        Assert.Null(settings.Kubeconfig);
        Assert.Null(settings.Context);
        Assert.Null(settings.LocalCluster);
        Assert.Null(settings.Namespace);
        Assert.Equal(defaults.Interval, settings.Interval);
        Assert.Equal(defaults.Timeout, settings.Timeout);
        Assert.Equal(defaults.FailureThreshold, settings.FailureThreshold);
        Assert.Equal(defaults.SuccessThreshold, settings.SuccessThreshold);
        Assert.Equal(defaults.Concurrency, settings.Concurrency);
        Assert.Equal(new HostSettings(LogFormat.Text), bound.Host);
    }

    [Fact]
    public async Task Parse_EveryFlag_ReachesTheSettings()
    {
        var (errors, bound) = await BindAsync(
        [
            "probe", "--kubeconfig", "/k/member", "--context", "admin", "--cluster", "east", "-n", "shop",
            "--interval", "5s", "--timeout", "750ms", "--failure-threshold", "5", "--success-threshold", "2",
            "--concurrency", "16", "--log-format", "json", "--health", ":8080", "--ready", "127.0.0.1:8181",
        ]);

        Assert.Empty(errors);
        var settings = bound!.Settings;
        Assert.Equal("/k/member", settings.Kubeconfig);
        Assert.Equal("admin", settings.Context);
        Assert.Equal("east", settings.LocalCluster);
        Assert.Equal("shop", settings.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(750), settings.Timeout);
        Assert.Equal(5, settings.FailureThreshold);
        Assert.Equal(2, settings.SuccessThreshold);
        Assert.Equal(16, settings.Concurrency);
        Assert.Equal(new HostSettings(LogFormat.Json, new IPEndPoint(IPAddress.Any, 8080), new IPEndPoint(IPAddress.Loopback, 8181)), bound.Host);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("none")]
    public async Task Parse_HttpEndpointsOff_LeavesThemOff(string off)
    {
        var (errors, bound) = await BindAsync(["probe", "--health", off, "--ready", off]);

        Assert.Empty(errors);
        Assert.Equal(new HostSettings(LogFormat.Text), bound!.Host);
    }

    private static Task<(IReadOnlyList<string> Errors, Bound? Bound)> BindAsync(string[] arguments) =>
        CommandParsing.BindAsync<Bound>(
            record => ProbeCommand.Create((settings, host, token) => record(new Bound(settings, host), token)),
            arguments);

    private sealed record Bound(ProbeSettings Settings, HostSettings Host);
}
