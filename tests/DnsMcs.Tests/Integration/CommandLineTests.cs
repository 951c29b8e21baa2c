using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Tests.Integration;

/// <summary><c>dnsmcs serve</c> as an operator meets it: bad flags, a taken port, an empty zone, SIGTERM.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["serve", "--ttl", "3601"], "--ttl must be between 0 and 3600" },
        { ["serve", "--ttl", "-1"], "--ttl" },
        { ["serve", "--listen", "127.0.0.1"], "a port is required" },
        { ["serve", "--listen", "::1:53"], "brackets" },
        { ["serve", "--listen", "127.0.0.1:99999"], "not a port" },
        { ["serve", "--zone", "bad_zone.local"], "--zone" },
        { ["serve", "--ns-address", "not-an-ip"], "not an IP address" },
        { ["serve", "--manifests", "/nonexistent/dnsmcs-manifests"], "/nonexistent/dnsmcs-manifests" },
        { ["serve", "--tcp-idle-timeout", "0"], "--tcp-idle-timeout" },
        { ["serve", "--source", "kubernetes", "--manifests", "."], "--source kubernetes takes no --manifests" },
        { ["serve", "--source", "manifests"], "--source manifests needs --manifests DIR" },
        { ["serve", "--member", "a=/k", "--kubeconfig", "/k"], "cannot be combined" },
        { ["serve", "--member", "Bad_Name=/k"], "not a valid cluster id" },
        { ["serve", "--metrics", "nowhere"], "--metrics" },
        { ["frobnicate"], "frobnicate" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Serve_BadArguments_ExitsNonZeroSayingWhy(string[] arguments, string message)
    {
        await using var process = DnsMcsProcess.Start(arguments);

        var exitCode = await process.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, process.Output, StringComparison.Ordinal);
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
