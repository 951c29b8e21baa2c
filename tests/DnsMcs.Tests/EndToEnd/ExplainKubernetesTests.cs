using System.Text.Json;
using System.Text.Json.Nodes;
using DnsMcs.FakeKubeApi;
using DnsMcs.Tests.Integration;

namespace DnsMcs.Tests.EndToEnd;

/// <summary>
/// <c>dnsmcs explain</c> against API servers: it lists once, waits for the first sync, answers, and exits; an object the
/// source refused is named with its field and why.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExplainKubernetesTests
{
    private const string Ns = "shop";

    [Fact]
    public async Task Explain_Distributed_ListsOnceAndNamesTheRejectedImport()
    {
        await using var member = await FakeMember.StartAsync();
        member.Namespace(Ns);
        member.ImportWithSlice(Ns, "web", "10.96.7.7", "east", ["10.1.0.1"]);
        member.Store.Create(FakeResource.ServiceImportsV1Alpha1, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bad", ["namespace"] = Ns },
            ["spec"] = new JsonObject { ["type"] = "ClusterSetIP", ["ips"] = new JsonArray("10.0.0.300"), ["ports"] = new JsonArray() },
        });

        var web = await ExplainRun.RunAsync($"web.{Ns}.svc.clusterset.local", "--kubeconfig", member.KubeconfigPath, "--output", "json");
        var bad = await ExplainRun.RunAsync($"bad.{Ns}.svc.clusterset.local", "--kubeconfig", member.KubeconfigPath, "--output", "json");

        Assert.True(web.ExitCode == 0, web.ToString());
        var record = Assert.Single(web.Json().GetProperty("answer").EnumerateArray());
        Assert.Equal("10.96.7.7", record.GetProperty("data").GetString());
        Assert.Equal("ServiceImport", record.GetProperty("from")[0].GetProperty("kind").GetString());
        Assert.Equal("spec.ips[0]", record.GetProperty("from")[0].GetProperty("field").GetString());

        Assert.True(bad.ExitCode == 0, bad.ToString());
        var json = bad.Json();
        Assert.Equal("NXDOMAIN", json.GetProperty("rcode").GetString());
        var reason = json.GetProperty("reason").GetString();
        Assert.Contains("ServiceImport shop/bad was rejected by the Kubernetes source", reason, StringComparison.Ordinal);
        Assert.Contains("spec.ips[0] \"10.0.0.300\" is not an IP address", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Centralized_NamesTheClusterBehindEachAddress()
    {
        await using var east = await FakeMember.StartAsync();
        await using var west = await FakeMember.StartAsync();
        foreach (var (member, clusterIp, podIp) in new[] { (east, "10.96.1.1", "10.1.0.1"), (west, "10.96.2.2", "10.2.0.1") })
        {
            member.Namespace(Ns);
            member.Service(Ns, "web", clusterIp: clusterIp);
            member.Slice(Ns, "web", "web-abc", [podIp]);
            member.Export(Ns, "web");
        }

        var run = await ExplainRun.RunAsync(
            $"web.{Ns}.svc.clusterset.local", "--member", $"east={east.KubeconfigPath}", "--member", $"west={west.KubeconfigPath}", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var clusters = run.Json().GetProperty("answer").EnumerateArray().ToDictionary(
            r => r.GetProperty("data").GetString()!,
            r => r.GetProperty("from").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == "Service").Select(f => f.GetProperty("cluster").GetString()).Single());
        Assert.Equal("east", clusters["10.96.1.1"]);
        Assert.Equal("west", clusters["10.96.2.2"]);
        Assert.Contains("the ClusterIP of the Service each member exports", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_MemberNeverAnswers_ExitsTwoNamingIt()
    {
        await using var east = await FakeMember.StartAsync();
        east.Namespace(Ns);
        await east.Server.StopAsync();

        var run = await ExplainRun.RunAsync($"web.{Ns}.svc.clusterset.local", "--member", $"east={east.KubeconfigPath}", "--timeout", "1s");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("sources unreadable: not synced within 1s", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("east", run.Stderr, StringComparison.Ordinal);
    }
}
