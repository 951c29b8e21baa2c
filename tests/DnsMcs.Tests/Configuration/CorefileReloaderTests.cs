using DnsMcs.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Tests.Configuration;

public sealed class CorefileReloaderTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dnsmcs-reload-");

    [Fact]
    public async Task CheckAsync_UnchangedChangedBrokenFixed_AppliesOnlyGoodChanges()
    {
        var path = Path.Combine(_folder.FullName, "Corefile");
        await File.WriteAllTextAsync(path, "clusterset.local {\n  ttl 5\n}\n");
        var applied = new List<uint>();
        var reloader = new CorefileReloader(path, (c, _) => { applied.Add(c.Ttl); return Task.CompletedTask; }, NullLogger.Instance);

        var unchanged = await reloader.CheckAsync(CancellationToken.None);
        await File.WriteAllTextAsync(path, "clusterset.local {\n  ttl 10\n}\n");
        var changed = await reloader.CheckAsync(CancellationToken.None);
        await File.WriteAllTextAsync(path, "clusterset.local {\n  ttl ten\n}\n");
        var broken = await reloader.CheckAsync(CancellationToken.None);
        await File.WriteAllTextAsync(path, "clusterset.local {\n  ttl 20\n}\n");
        var fixedAgain = await reloader.CheckAsync(CancellationToken.None);

        Assert.Null(unchanged);
        Assert.Equal(10u, changed?.Ttl);
        Assert.Null(broken);
        Assert.Equal(20u, fixedAgain?.Ttl);
        Assert.Equal([10u, 20u], applied);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
