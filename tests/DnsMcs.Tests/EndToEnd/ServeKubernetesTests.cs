using DnsMcs.Tests.Integration;

namespace DnsMcs.Tests.EndToEnd;

/// <summary><c>dnsmcs serve --source kubernetes</c> (distributed mode) as a process against a fake API server.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ServeKubernetesTests
{
    private const string Ns = "shop";

    [Fact]
    public async Task Serve_Distributed_FollowsImportsAndSurvivesTheApiServerGoingAway()
    {
        await using var member = await FakeMember.StartAsync();
        member.Namespace(Ns);
        var (serve, port) = await ServeProcess.StartAsync("--source", "kubernetes", "--kubeconfig", member.KubeconfigPath);
        await using var _ = serve;

        // An import appears.
        member.ImportWithSlice(Ns, "web", "10.96.7.7", "east", ["10.1.0.1"]);
        await ServeProcess.ResolvesToAsync(port, serve, $"web.{Ns}.svc.{ServeProcess.Zone}", "10.96.7.7");

        // It goes away.
        member.DeleteImportWithSlice(Ns, "web", "east");
        await ServeProcess.NameErrorAsync(port, serve, $"web.{Ns}.svc.{ServeProcess.Zone}");

        // The API server goes away: the last known answers stay.
        member.ImportWithSlice(Ns, "api", "10.96.8.8", "east", ["10.1.0.2"]);
        await ServeProcess.ResolvesToAsync(port, serve, $"api.{Ns}.svc.{ServeProcess.Zone}", "10.96.8.8");
        await member.Server.StopAsync();
        await Eventually.TrueAsync(
            () => serve.Output.Contains("lost its API server connection", StringComparison.Ordinal),
            () => $"dnsmcs noticing the API server is gone:\n{serve.Output}");
        var whileDown = await Dig.QueryAsync(port, $"api.{Ns}.svc.{ServeProcess.Zone}", "A");
        Assert.Equal("NOERROR", whileDown.Status);
        Assert.Equal(["10.96.8.8"], ServeProcess.Addresses(whileDown));

        // It comes back (same port, same state): what changed meanwhile and afterwards flows in.
        member.ImportWithSlice(Ns, "late", "10.96.9.9", "east", ["10.1.0.3"]);
        await member.Server.StartAgainAsync();
        await ServeProcess.ResolvesToAsync(port, serve, $"late.{Ns}.svc.{ServeProcess.Zone}", "10.96.9.9");
        member.DeleteImportWithSlice(Ns, "api", "east");
        await ServeProcess.NameErrorAsync(port, serve, $"api.{Ns}.svc.{ServeProcess.Zone}");
    }
}
