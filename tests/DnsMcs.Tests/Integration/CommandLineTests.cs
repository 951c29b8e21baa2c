using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Tests.Integration;

/// <summary><c>dnsmcs serve</c> as an operator meets it: bad flags, a taken port, an empty zone, SIGTERM.</summary>
public sealed class CommandLineTests
{
    // Exit 1: a flag System.CommandLine rejects (it prints the usage too) or a setting serve refuses before it starts.
    public static TheoryData<string[], int, string> BadArguments => new()
    {
        { ["serve", "--ttl", "3601"], 1, "--ttl must be between 0 and 3600" },
        { ["serve", "--ttl", "-1"], 1, "--ttl must be between 0 and 3600; '-1' is not." },
        { ["serve", "--ttl", "abc"], 1, "--ttl must be between 0 and 3600; 'abc' is not." },
        { ["serve", "--listen", "127.0.0.1"], 1, "a port is required" },
        { ["serve", "--listen", "::1:53"], 1, "brackets" },
        { ["serve", "--listen", "127.0.0.1:99999"], 1, "not a port" },
        { ["serve", "--zone", "bad_zone.local"], 1, "--zone" },
        { ["serve", "--ns-address", "not-an-ip"], 1, "not an IP address" },
        { ["serve", "--manifests", "/nonexistent/dnsmcs-manifests"], 1, "/nonexistent/dnsmcs-manifests" },
        { ["serve", "--tcp-idle-timeout", "0"], 1, "--tcp-idle-timeout must be between 1 and 3600; '0' is not." },
        { ["serve", "--tcp-idle-timeout", "abc"], 1, "--tcp-idle-timeout must be between 1 and 3600; 'abc' is not." },
        { ["serve", "--tcp-max-connections", "lots"], 1, "--tcp-max-connections must be between 1 and 1000000; 'lots' is not." },
        { ["serve", "--member-sync-timeout", "abc"], 1, "--member-sync-timeout must be between 0 and 86400; 'abc' is not." },
        { ["serve", "--member-sync-timeout", "-1"], 1, "--member-sync-timeout must be between 0 and 86400; '-1' is not." },
        { ["serve", "--source", "kubernetes", "--manifests", "."], 1, "--source kubernetes takes no --manifests" },
        { ["serve", "--source", "manifests"], 1, "--source manifests needs --manifests DIR" },
        { ["serve", "--member", "a=/k", "--kubeconfig", "/k"], 1, "cannot be combined" },
        { ["serve", "--member", "Bad_Name=/k"], 1, "--member Bad_Name=/k: \"Bad_Name\" is not a valid cluster id" },
        { ["serve", "--member", "a"], 1, "--member 'a' is not NAME=KUBECONFIG[@CONTEXT]" },
        { ["serve", "--metrics", "nowhere"], 1, "--metrics" },
        { ["serve", "--listen", "127.0.0.1:0", "--kubeconfig", "/nonexistent/kubeconfig"], 1, "Cannot start: kubeconfig /nonexistent/kubeconfig does not exist" },
        { ["serve", "--listen", "127.0.0.1:0", "--member", "east=/nonexistent/kubeconfig"], 1, "Cannot start: kubeconfig /nonexistent/kubeconfig does not exist" },
        { ["frobnicate"], 1, "frobnicate" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Serve_BadArguments_ExitsSayingWhyWithoutAStackTrace(string[] arguments, int expectedExitCode, string message)
    {
        await using var process = DnsMcsProcess.Start(arguments);

        var exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == expectedExitCode, $"exit code {exitCode}:\n{process.Output}");
        Assert.Contains(message, process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", process.Output, StringComparison.Ordinal);
    }

    // The HTTP endpoints fail as a DNS port does: exit 2, one line naming the endpoint, nothing else going wrong on the way out.
    public static TheoryData<string, string> OperationsEndpoints => new()
    {
        { "serve", "--metrics" },
        { "serve", "--health" },
        { "serve", "--ready" },
        { "controller", "--health" },
        { "controller", "--ready" },
        { "probe", "--health" },
    };

    [Theory]
    [MemberData(nameof(OperationsEndpoints))]
    public async Task Command_OperationsPortInUse_ExitsWithCode2InOneLine(string command, string flag)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var endpoint = taken.LocalEndPoint!.ToString()!;
        string[] arguments = command switch
        {
            "serve" => ["serve", "--listen", "127.0.0.1:0", .. new[] { "--metrics", "--health", "--ready" }.SelectMany(f => new[] { f, f == flag ? endpoint : "off" })],
            "controller" => ["controller", "--member", "east=/nonexistent/kubeconfig", flag, endpoint],
            _ => ["probe", "--cluster", "east", flag, endpoint],
        };
        await using var process = DnsMcsProcess.Start(arguments);

        var exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{process.Output}");
        Assert.Contains($"cannot listen on HTTP {endpoint} (/{flag[2..]}): the port is already in use", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("TCP accept", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Help_DescribesEveryOption()
    {
        await using var process = DnsMcsProcess.Start("serve", "--help");

        Assert.Equal(0, await process.WaitForExitAsync());
        foreach (var option in new[] { "--listen", "--zone", "--ttl", "--manifests", "--ns-address", "--tcp-idle-timeout", "--tcp-max-connections" })
        {
            Assert.Contains(option, process.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_PortInUse_ExitsWithCode2NamingTheEndpoint()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var listen = taken.LocalEndPoint!.ToString()!;
        await using var process = DnsMcsProcess.Start("serve", "--listen", listen);

        var exitCode = await process.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains($"cannot listen on TCP {listen}: the port is already in use", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NoManifestsThenSigterm_ServesApexOnlyAndExitsZero()
    {
        var port = DnsMcsProcess.FreePort();
        await using var process = DnsMcsProcess.Start("serve", "--listen", DnsMcsProcess.Listen(port), "--zone", "Example.Test.", "--ttl", "30");
        await process.WaitUntilAnsweringAsync(port, "example.test");

        var soa = await Dig.QueryAsync(port, "example.test", "SOA");
        var service = await Dig.QueryAsync(port, "web.shop.svc.example.test", "A", "+tcp");
        process.Terminate();
        var exitCode = await process.WaitForExitAsync();

        Assert.Equal("NOERROR", soa.Status);
        Assert.Equal(["example.test. 30 IN SOA ns.dns.example.test. hostmaster.example.test. " + DigResult.Serial + " 7200 1800 86400 30"], soa.Answer);
        Assert.Equal("NXDOMAIN", service.Status);
        Assert.Equal(0, exitCode);
        Assert.Contains("Stopped", process.Output, StringComparison.Ordinal);
    }
}
