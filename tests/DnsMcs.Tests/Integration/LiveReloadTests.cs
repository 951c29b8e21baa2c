namespace DnsMcs.Tests.Integration;

/// <summary>An edit to a manifest file is served without a restart.</summary>
[Collection(ServerCollection.Name)]
public sealed class LiveReloadTests(ServerFixture server)
{
    private const string Live = "live.edit.svc.clusterset.local";

    [Fact]
    public async Task ManifestEdited_NewAddressServedWithoutRestart()
    {
        var before = await server.DigAsync(Live, "A");
        Assert.Equal(["live.edit.svc.clusterset.local. 5 IN A 10.99.0.1"], before.Answer);

        // An in-place rewrite, as an editor or `kubectl get -o yaml >` does.
        await File.WriteAllTextAsync(Path.Combine(server.ManifestDirectory, "live.yaml"), FixtureManifests.Live("10.99.0.2"));

        // The source promises a second; poll generously and fail only at the safety net.
        var deadline = DateTime.UtcNow + DnsMcsProcess.Patience;
        DigResult after;
        do
        {
            await Task.Delay(100);
            after = await server.DigAsync(Live, "A");
        }
        while (!after.Answer.Contains("live.edit.svc.clusterset.local. 5 IN A 10.99.0.2") && DateTime.UtcNow < deadline);

        Assert.Equal(["live.edit.svc.clusterset.local. 5 IN A 10.99.0.2"], after.Answer);
        Assert.False(server.Process.HasExited, server.Process.Output);
    }
}
