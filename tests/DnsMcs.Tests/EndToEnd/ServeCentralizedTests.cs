namespace DnsMcs.Tests.EndToEnd;

/// <summary><c>dnsmcs serve --member ...</c> (centralized mode) as a process reading two fake member clusters.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ServeCentralizedTests
{
    private const string Ns = "shop";

    [Fact]
    public async Task Serve_Centralized_ServiceExportedFromBothResolvesToBothClusterIps()
    {
        await using var east = await FakeMember.StartAsync();
        await using var west = await FakeMember.StartAsync();
        foreach (var (member, clusterIp, podIp) in new[] { (east, "10.96.1.1", "10.1.0.1"), (west, "10.96.2.2", "10.2.0.1") })
        {
            member.Namespace(Ns);
            member.Service(Ns, "web", clusterIp: clusterIp);
            member.Slice(Ns, "web", "web-abc", [podIp]);
        }

        var (serve, port) = await ServeProcess.StartAsync("--member", $"east={east.KubeconfigPath}", "--member", $"west={west.KubeconfigPath}");
        await using var _ = serve;

        east.Export(Ns, "web");
        await ServeProcess.ResolvesToAsync(port, serve, $"web.{Ns}.svc.{ServeProcess.Zone}", "10.96.1.1");
        west.Export(Ns, "web");
        await ServeProcess.ResolvesToAsync(port, serve, $"web.{Ns}.svc.{ServeProcess.Zone}", "10.96.1.1", "10.96.2.2");
    }
}
