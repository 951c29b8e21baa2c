using DnsMcs.Tests.Integration;

namespace DnsMcs.Tests.EndToEnd;

/// <summary>
/// The whole chain as processes: <c>dnsmcs controller</c> between members a and b, and <c>dnsmcs serve</c> reading
/// b (distributed mode). A Service exported in a becomes resolvable in b's DnsMcs.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ControllerAndServeTests
{
    private const string Ns = "shop";

    [Fact]
    public async Task ExportInA_ResolvesInBsDnsMcs_ToTheDerivedClusterIpAndPerPodNames()
    {
        await using var a = await FakeMember.StartAsync();
        await using var b = await FakeMember.StartAsync();
        a.Namespace(Ns);
        b.Namespace(Ns);
        await using var controller = DnsMcsProcess.Start(
            "controller", "--member", $"a={a.KubeconfigPath}", "--member", $"b={b.KubeconfigPath}", "--leader-elect=false");
        var (serve, port) = await ServeProcess.StartAsync("--source", "kubernetes", "--kubeconfig", b.KubeconfigPath);
        await using var _ = serve;

        a.Service(Ns, "cart");
        a.Slice(Ns, "cart", "cart-abc", ["10.1.0.1", "10.1.0.2"]);
        a.Export(Ns, "cart");
        a.Service(Ns, "db", headless: true);
        a.Slice(Ns, "db", "db-abc", ["10.1.1.1", "10.1.1.2"], withHostnames: true);
        a.Export(Ns, "db");

        await Eventually.TrueAsync(
            () => b.DerivedClusterIp(Ns, "cart") is not null,
            () => $"the derived Service of {Ns}/cart in b; controller output:\n{controller.Output}");
        var vip = b.DerivedClusterIp(Ns, "cart")!;
        await ServeProcess.ResolvesToAsync(port, serve, $"cart.{Ns}.svc.{ServeProcess.Zone}", vip);

        // Headless: the service name lists the pods, and each pod has its own name under the source cluster's id.
        await ServeProcess.ResolvesToAsync(port, serve, $"db.{Ns}.svc.{ServeProcess.Zone}", "10.1.1.1", "10.1.1.2");
        await ServeProcess.ResolvesToAsync(port, serve, $"db-0.a.db.{Ns}.svc.{ServeProcess.Zone}", "10.1.1.1");
        await ServeProcess.ResolvesToAsync(port, serve, $"db-1.a.db.{Ns}.svc.{ServeProcess.Zone}", "10.1.1.2");

        Assert.False(controller.HasExited, controller.Output);
    }
}
