using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;
using DnsMcs.Tests.Integration;

namespace DnsMcs.Tests.EndToEnd;

/// <summary><c>dnsmcs probe</c> as a real process in one fake member, probing loopback endpoints.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ProbeProcessTests
{
    private const string Ns = "shop";
    private const string DisconnectedAnnotation = "kosmos.io/disconnected-address";

    [Fact]
    public async Task Probe_RemoteEndpoints_OnlyTheUnreachableOneIsAnnotated()
    {
        await using var member = await FakeMember.StartAsync();
        member.Namespace(Ns);
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        var openPort = ((IPEndPoint)listening.LocalEndpoint).Port;
        var closedPort = DnsMcsProcess.FreePort();

        // Imported from cluster a: one endpoint answers, one refuses; the local cluster's own endpoint is not probed.
        member.Store.Create(FakeResource.ServiceImportsV1Alpha1, $$$"""
            {"metadata":{"name":"web","namespace":"{{{Ns}}}"},"spec":{"type":"ClusterSetIP","ips":["10.96.0.9"],"ports":[{"name":"http","port":80,"protocol":"TCP"}]}}
            """);
        McsSlice(member, "web-a-open", "a", "127.0.0.1", openPort);
        McsSlice(member, "web-a-closed", "a", "127.0.0.2", closedPort);
        McsSlice(member, "web-b-local", "b", "127.0.0.3", closedPort);

        await using var probe = DnsMcsProcess.Start(
            "probe", "--kubeconfig", member.KubeconfigPath, "--cluster", "b", "--interval", "200ms", "--timeout", "150ms", "--failure-threshold", "2");
        string? Disconnected() => member.Import(Ns, "web")?["metadata"]?["annotations"]?[DisconnectedAnnotation]?.GetValue<string>();

        await Eventually.TrueAsync(() => Disconnected() is not null, () => $"{DisconnectedAnnotation} on {Ns}/web; probe output:\n{probe.Output}");
        Assert.Equal("127.0.0.2", Disconnected());

        // The refusing endpoint starts answering: the annotation is taken back.
        using var recovered = new TcpListener(IPAddress.Parse("127.0.0.2"), closedPort);
        recovered.Start();
        await Eventually.TrueAsync(() => Disconnected() is null, () => $"{DisconnectedAnnotation} removed from {Ns}/web; probe output:\n{probe.Output}");

        probe.Terminate();
        Assert.Equal(0, await probe.WaitForExitAsync());
    }

    private static void McsSlice(FakeMember member, string name, string sourceCluster, string address, int port) =>
        member.Store.Create(FakeResource.EndpointSlices, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Ns,
                ["labels"] = new JsonObject
                {
                    ["multicluster.kubernetes.io/service-name"] = "web",
                    ["multicluster.kubernetes.io/source-cluster"] = sourceCluster,
                },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray(new JsonObject { ["addresses"] = new JsonArray(address), ["conditions"] = new JsonObject { ["ready"] = true } }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["protocol"] = "TCP" }),
        });
}
