using DnsMcs.Metrics;
using DnsMcs.Sources;
using DnsMcs.Tests.Metrics;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Tests.Sources;

public sealed class ManifestSourceTests : IDisposable
{
    // Only a safety net for live tests: they finish as soon as the writer sees the change.
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("dnsmcs-manifests-").FullName;
    private readonly RecordingClusterSetWriter _writer = new();
    private readonly ListLogger<ManifestSource> _logger = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StartAsync_Folder_LoadsEveryManifestInOneBatchThenMarksSynced()
    {
        Write("web.yaml", Import("web", "10.42.0.10") + "---\n" + Slice("web-a", "web", "10.1.0.1"));
        Write("a/namespaces.yml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: shop}}\n");
        Write("a/id.json", "{\"apiVersion\": \"about.k8s.io/v1alpha1\", \"kind\": \"ClusterProperty\", \"metadata\": {\"name\": \"id.k8s.io\"}, \"spec\": {\"value\": \"cluster-a\"}}");
        Write("notes.txt", "not a manifest: {[");
        Write(".web.yaml.swp", "not a manifest: {[");
        Write("..data/web.yaml", Import("hidden", "10.9.9.9"));
        using var source = Create();

        await source.StartAsync(CancellationToken.None);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal(
            [
                "RegisterSource manifests", "BatchStart",
                "SetLocalClusterId cluster-a", "PutNamespace shop", "PutService shop/web", "PutEndpointSlice shop/web-a",
                "BatchEnd", "MarkSynced manifests",
            ],
            _writer.Calls);
        Assert.Empty(_logger.MessagesAt(LogLevel.Error));
    }

    [Fact]
    public void ReloadAll_NothingOrOnlyTimestampsChanged_PutsNothing()
    {
        Write("web.yaml", Import("web", "10.42.0.10") + "---\n" + Slice("web-a", "web", "10.1.0.1"));
        using var source = Create();
        source.ReloadAll();
        var before = _writer.CallCount;

        var untouched = source.ReloadAll();
        Write("web.yaml", Import("web", "10.42.0.10") + "---\n" + Slice("web-a", "web", "10.1.0.1"));
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "web.yaml"), DateTime.UtcNow.AddMinutes(1));
        var rewritten = source.ReloadAll();

        Assert.Equal((0, 0), (untouched.Put, untouched.Removed));
        Assert.Equal((0, 0), (rewritten.Put, rewritten.Removed));
        Assert.Empty(_writer.CallsSince(before));
        Assert.Equal(1, rewritten.Generation);
    }

    [Fact]
    public void ReloadAll_OneObjectOfAFileChanged_PutsOnlyThatObject()
    {
        Write("web.yaml", Import("web", "10.42.0.10") + "---\n" + Slice("web-a", "web", "10.1.0.1"));
        using var source = Create();
        source.ReloadAll();
        var before = _writer.CallCount;

        Write("web.yaml", Import("web", "10.42.0.10") + "---\n" + Slice("web-a", "web", "10.1.0.2"));
        var result = source.ReloadAll();

        Assert.Equal(["BatchStart", "PutEndpointSlice shop/web-a", "BatchEnd"], _writer.CallsSince(before));
        Assert.Equal("10.1.0.2", string.Join(",", _writer.Slices["shop/web-a"].Endpoints[0].Addresses));
        Assert.Equal((1, 0, 2L), (result.Put, result.Removed, result.Generation));
    }

    [Fact]
    public void ReloadAll_BadEdit_KeepsLastGoodContentOfThatFileAndLogsPathAndLine()
    {
        Write("web.yaml", Import("web", "10.42.0.10") + "---\n" + Slice("web-a", "web", "10.1.0.1"));
        Write("api.yaml", Import("api", "10.42.0.20"));
        using var source = Create();
        source.ReloadAll();
        var before = _writer.CallCount;

        // The slice edit is valid, the service's is not: the file is taken whole or not at all.
        Write("web.yaml", Import("web", "10.0.0.300") + "---\n" + Slice("web-a", "web", "10.1.0.2"));
        Write("api.yaml", Import("api", "10.42.0.21"));
        var result = source.ReloadAll();

        Assert.Equal(1, result.InvalidFiles);
        Assert.Equal(["BatchStart", "PutService shop/api", "BatchEnd"], _writer.CallsSince(before));
        Assert.Equal("10.42.0.10", _writer.ServiceIps("shop/web"));
        Assert.Equal("10.1.0.1", string.Join(",", _writer.Slices["shop/web-a"].Endpoints[0].Addresses));
        var error = Assert.Single(_logger.MessagesAt(LogLevel.Error));
        Assert.Contains($"{Path.Combine(_dir, "web.yaml")}:7: ServiceImport shop/web: spec.ips[0] \"10.0.0.300\" is not an IP address", error, StringComparison.Ordinal);
        Assert.EndsWith("the file's last good content keeps serving", error, StringComparison.Ordinal);

        // The same bad content is not re-read (nor re-logged) on every poll; a fix is picked up.
        source.ReloadAll();
        Assert.Single(_logger.MessagesAt(LogLevel.Error));
        Write("web.yaml", Import("web", "10.42.0.11") + "---\n" + Slice("web-a", "web", "10.1.0.2"));
        var fixedResult = source.ReloadAll();

        Assert.Equal((2, 0, 0), (fixedResult.Put, fixedResult.Removed, fixedResult.InvalidFiles));
        Assert.Equal("10.42.0.11", _writer.ServiceIps("shop/web"));
        Assert.Equal(0, _writer.UnbatchedWrites);
    }

    [Fact]
    public void ReloadAll_FileDeleted_RemovesOnlyItsObjects()
    {
        Write("web.yaml", Import("web", "10.42.0.10") + "---\n" + Slice("web-a", "web", "10.1.0.1"));
        Write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
            + "apiVersion: about.k8s.io/v1alpha1\nkind: ClusterProperty\nmetadata: {name: id.k8s.io}\nspec: {value: cluster-b.eu}\n");
        using var source = Create();
        source.ReloadAll();
        Assert.Equal("cluster-b.eu", _writer.LocalClusterId);
        var before = _writer.CallCount;

        File.Delete(Path.Combine(_dir, "ns.yaml"));
        var result = source.ReloadAll();

        Assert.Equal(["BatchStart", "RemoveNamespace shop", "SetLocalClusterId (none)", "BatchEnd"], _writer.CallsSince(before));
        Assert.Equal((0, 2), (result.Put, result.Removed));
        Assert.Null(_writer.LocalClusterId);
        Assert.Equal(["shop/web"], _writer.Services.Keys);
    }

    [Fact]
    public void ReloadAll_SameObjectInTwoFiles_LaterPathWinsWithOneWarning()
    {
        Write("a.yaml", Import("web", "10.42.0.10"));
        Write("b.yaml", "\n\n" + Import("web", "10.42.0.99"));
        using var source = Create();

        source.ReloadAll();
        source.ReloadAll();

        Assert.Equal("10.42.0.99", _writer.ServiceIps("shop/web"));
        var warning = Assert.Single(_logger.MessagesAt(LogLevel.Warning));
        Assert.Equal(
            $"ServiceImport shop/web is defined in {Path.Combine(_dir, "a.yaml")}:1 and in {Path.Combine(_dir, "b.yaml")}:3; the definition in {Path.Combine(_dir, "b.yaml")}:3 is served",
            warning);

        File.Delete(Path.Combine(_dir, "b.yaml"));
        source.ReloadAll();

        Assert.Equal("10.42.0.10", _writer.ServiceIps("shop/web"));
    }

    [Fact]
    public async Task StartAsync_InvalidFileAtStart_ServesTheOthersAndStillSyncs()
    {
        Write("bad.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop\n");
        Write("good.yaml", Import("web", "10.42.0.10"));
        using var source = Create();

        await source.StartAsync(CancellationToken.None);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal("MarkSynced manifests", _writer.Calls[^1]);
        Assert.Equal(["shop/web"], _writer.Services.Keys);
        Assert.Empty(_writer.Namespaces);
        Assert.Contains($"{Path.Combine(_dir, "bad.yaml")}:4: Namespace Shop:", Assert.Single(_logger.MessagesAt(LogLevel.Error)), StringComparison.Ordinal);
    }

    [Fact]
    public void ReloadAll_NeverValidFile_SaysNothingOfItIsServed()
    {
        Write("bad.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop\n");
        using var source = Create();

        source.ReloadAll();

        var error = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(3009, error.EventId.Id);
        Assert.EndsWith("nothing from this file is served until it is fixed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("last good content", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReloadAll_SkippedObjects_SaidOncePerFileAndObject()
    {
        var deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\n";
        Write("web.yaml", deployment + Import("web", "10.42.0.10"));
        using var source = Create();
        source.ReloadAll();

        // An edit to the served object re-reads the file: the Deployment was already reported.
        Write("web.yaml", deployment + Import("web", "10.42.0.11"));
        source.ReloadAll();
        Write("web.yaml", deployment + "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: shop}\n---\n" + Import("web", "10.42.0.11"));
        source.ReloadAll();

        Assert.Equal(
            [
                $"Skipped {Path.Combine(_dir, "web.yaml")}:1: Deployment shop/web: kind Deployment is not served (only ServiceImport, EndpointSlice, Namespace, ClusterProperty)",
                $"Skipped {Path.Combine(_dir, "web.yaml")}:5: Secret shop/s: kind Secret is not served (only ServiceImport, EndpointSlice, Namespace, ClusterProperty)",
            ],
            _logger.MessagesAt(LogLevel.Warning));
    }

    [Fact]
    public async Task StartedSource_WithMetrics_CountsFileChangesErrorsAndSync()
    {
        using var metrics = new DnsMcsMetrics();
        using var collector = new MetricsCollector([metrics.Meter]);
        Write("web.yaml", Import("web", "10.42.0.10"));
        Write("bad.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop\n");
        using var source = new ManifestSource(
            new ManifestSourceOptions { Directory = _dir, WatchFileSystem = false, PollInterval = TimeSpan.FromMinutes(10) }, _writer, _logger, metrics.ForSource("manifests"));
        var before = Exposition.Parse(collector.Scrape());

        await source.StartAsync(CancellationToken.None);
        Write("web.yaml", Import("web", "10.42.0.111"));
        File.Delete(Path.Combine(_dir, "bad.yaml"));
        source.ReloadAll();
        await source.StopAsync(CancellationToken.None);

        (string, string)[] manifests = [("source", "manifests"), ("resource", "manifests")];
        Assert.Equal(0, before.Value("dnsmcs_source_errors_total", manifests));
        var after = Exposition.Parse(collector.Scrape());
        Assert.Equal(2, after.Value("dnsmcs_source_watch_events_total", [.. manifests, ("event", "added")]));
        Assert.Equal(1, after.Value("dnsmcs_source_watch_events_total", [.. manifests, ("event", "modified")]));
        Assert.Equal(1, after.Value("dnsmcs_source_watch_events_total", [.. manifests, ("event", "deleted")]));
        Assert.Equal(1, after.Value("dnsmcs_source_errors_total", manifests));
        Assert.Equal(1, after.Value("dnsmcs_source_synced", ("source", "manifests")));
    }

    [Fact]
    public async Task StartAsync_MissingDirectory_FailsWithThePath()
    {
        var missing = Path.Combine(_dir, "missing");
        using var source = new ManifestSource(new ManifestSourceOptions { Directory = missing }, _writer, _logger);

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => source.StartAsync(CancellationToken.None));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReloadAll_DirectoryRemovedAfterLoad_KeepsServing()
    {
        var sub = Path.Combine(_dir, "sub");
        Directory.CreateDirectory(sub);
        File.WriteAllText(Path.Combine(sub, "web.yaml"), Import("web", "10.42.0.10"));
        using var source = new ManifestSource(new ManifestSourceOptions { Directory = sub }, _writer, _logger);
        source.ReloadAll();

        Directory.Delete(sub, recursive: true);
        var result = source.ReloadAll();
        source.ReloadAll();

        Assert.Equal((0, 0), (result.Put, result.Removed));
        Assert.Equal("10.42.0.10", _writer.ServiceIps("shop/web"));
        Assert.Equal(
            [$"Manifest directory {sub} no longer exists (deleted, moved or unmounted); the last loaded objects keep serving until it is back"],
            _logger.MessagesAt(LogLevel.Error));

        Directory.CreateDirectory(sub);
        File.WriteAllText(Path.Combine(sub, "web.yaml"), Import("web", "10.42.0.11"));
        source.ReloadAll();

        Assert.Equal("10.42.0.11", _writer.ServiceIps("shop/web"));
        Assert.Contains($"Manifest directory {sub} is back; reading it again", _logger.MessagesAt(LogLevel.Information));
    }

    [Fact]
    public void ReloadAll_ConfigMapStyleSymlinkSwap_ServesTheNewTarget()
    {
        // A mounted ConfigMap: web.yaml -> ..data/web.yaml, ..data -> ..<timestamp>; an update writes a
        // new timestamped folder and swaps ..data, leaving the top-level link itself untouched.
        Write("..v1/web.yaml", Import("web", "10.42.0.10"));
        Directory.CreateSymbolicLink(Path.Combine(_dir, "..data"), "..v1");
        File.CreateSymbolicLink(Path.Combine(_dir, "web.yaml"), Path.Combine("..data", "web.yaml"));
        using var source = Create();
        source.ReloadAll();
        Assert.Equal("10.42.0.10", _writer.ServiceIps("shop/web"));

        Write("..v2/web.yaml", Import("web", "10.42.0.11"));
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "..v2", "web.yaml"), DateTime.UtcNow.AddMinutes(1));
        Directory.Delete(Path.Combine(_dir, "..data"));
        Directory.CreateSymbolicLink(Path.Combine(_dir, "..data"), "..v2");
        source.ReloadAll();

        Assert.Equal("10.42.0.11", _writer.ServiceIps("shop/web"));
        Assert.Empty(_logger.MessagesAt(LogLevel.Warning));
    }

    // true: the FileSystemWatcher must see it (the poll is set far beyond the safety net);
    // false: the watcher is off and only the size+mtime poll can see it.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartedSource_FilesEditedAddedDeleted_ServedWithoutReload(bool watch)
    {
        Write("web.yaml", Import("web", "10.42.0.10"));
        using var source = new ManifestSource(
            new ManifestSourceOptions
            {
                Directory = _dir,
                WatchFileSystem = watch,
                PollInterval = watch ? TimeSpan.FromMinutes(10) : TimeSpan.FromMilliseconds(100),
                Debounce = TimeSpan.FromMilliseconds(20),
            },
            _writer,
            _logger);
        await source.StartAsync(CancellationToken.None);
        try
        {
            Write("web.yaml", Import("web", "10.42.0.11") + "\n# one line longer\n");
            await _writer.WaitUntilAsync(w => w.Services.TryGetValue("shop/web", out var s) && s.Ips[0].ToString() == "10.42.0.11").WaitAsync(SafetyNet);

            Write("more/api.yaml", Import("api", "10.42.0.20"));
            await _writer.WaitUntilAsync(w => w.Services.ContainsKey("shop/api")).WaitAsync(SafetyNet);

            File.Delete(Path.Combine(_dir, "web.yaml"));
            await _writer.WaitUntilAsync(w => !w.Services.ContainsKey("shop/web")).WaitAsync(SafetyNet);
        }
        finally
        {
            await source.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["shop/api"], _writer.Services.Keys);
        Assert.Equal(0, _writer.UnbatchedWrites);
    }

    // The poll alone, after the folders have been still long enough for their listing to be reused: a file added to a
    // subfolder, an edit that keeps size and mtime, and a rename over a file that keeps size and mtime are all served.
    [Fact]
    public async Task StartedSource_PollOnly_StillFolder_SeesAddedFilesAndEditsThatKeepSizeAndMtime()
    {
        Write("web.yaml", Import("web", "10.42.0.10"));
        Write("sub/api.yaml", Import("api", "10.42.0.20"));
        using var source = new ManifestSource(
            new ManifestSourceOptions { Directory = _dir, WatchFileSystem = false, PollInterval = TimeSpan.FromMilliseconds(50) }, _writer, _logger);
        await source.StartAsync(CancellationToken.None);
        try
        {
            // Longer than a listing stays racy (2 s): from here the poll looks only at folders' and files' identities.
            await Task.Delay(TimeSpan.FromSeconds(2.5));

            // First, while the listing is reused: an edit in place, the same mtime to the nanosecond before and after
            // (a DateTime read back would lose the last two digits).
            var mtime = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
            var web = Path.Combine(_dir, "web.yaml");
            File.SetLastWriteTimeUtc(web, mtime);
            File.WriteAllText(web, Import("web", "10.42.0.11"));
            File.SetLastWriteTimeUtc(web, mtime);
            await _writer.WaitUntilAsync(w => w.ServiceIps("shop/web") == "10.42.0.11").WaitAsync(SafetyNet);

            Write("sub/db.yaml", Import("db", "10.42.0.30"));
            await _writer.WaitUntilAsync(w => w.Services.ContainsKey("shop/db")).WaitAsync(SafetyNet);

            var api = Path.Combine(_dir, "sub", "api.yaml");
            var hidden = Path.Combine(_dir, "sub", ".api.yaml.tmp");
            File.SetLastWriteTimeUtc(api, mtime);
            File.WriteAllText(hidden, Import("api", "10.42.0.21"));
            File.SetLastWriteTimeUtc(hidden, mtime);
            File.Move(hidden, api, overwrite: true);
            await _writer.WaitUntilAsync(w => w.ServiceIps("shop/api") == "10.42.0.21").WaitAsync(SafetyNet);
        }
        finally
        {
            await source.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["shop/api", "shop/db", "shop/web"], _writer.Services.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(_logger.MessagesAt(LogLevel.Warning));
    }

    // A FIFO named like a manifest is not a file to read: opening it would block the reload until someone wrote to it.
    [Fact]
    public async Task ReloadAll_FifoNamedLikeAManifest_SkippedAndTheRestServed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Write("web.yaml", Import("web", "10.42.0.10"));
        Fifo.Create(Path.Combine(_dir, "pipe.yaml"));

        using var source = Create();

        var result = await Task.Run(source.ReloadAll).WaitAsync(SafetyNet);

        Assert.Equal(0, result.InvalidFiles);
        Assert.Equal("10.42.0.10", _writer.ServiceIps("shop/web"));
    }

    [Fact]
    public async Task WaitForGenerationAsync_EditAfterStart_CompletesOnceTheEditIsApplied()
    {
        Write("web.yaml", Import("web", "10.42.0.10"));
        using var source = new ManifestSource(
            new ManifestSourceOptions { Directory = _dir, WatchFileSystem = false, PollInterval = TimeSpan.FromMilliseconds(50) }, _writer, _logger);
        await source.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(1, source.Generation);
            await source.WaitForGenerationAsync(1, CancellationToken.None).WaitAsync(SafetyNet);
            var waiting = source.WaitForGenerationAsync(2, CancellationToken.None);
            Assert.False(waiting.IsCompleted);

            Write("web.yaml", Import("web", "10.42.0.11") + "\n");
            await waiting.WaitAsync(SafetyNet);

            Assert.Equal("10.42.0.11", _writer.ServiceIps("shop/web"));
        }
        finally
        {
            await source.StopAsync(CancellationToken.None);
        }
    }

    private ManifestSource Create() => new(new ManifestSourceOptions { Directory = _dir, PollInterval = TimeSpan.FromMinutes(10) }, _writer, _logger);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static string Import(string name, string ip) => $"""
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceImport
        metadata:
          name: {name}
          namespace: shop
        spec:
          ips: ["{ip}"]
          ports:
          - name: http
            port: 80

        """;

    private static string Slice(string name, string service, string ip) => $$"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {{name}}
          namespace: shop
          labels:
            multicluster.kubernetes.io/service-name: {{service}}
            multicluster.kubernetes.io/source-cluster: cluster-a
        addressType: IPv4
        endpoints:
        - addresses: ["{{ip}}"]

        """;
}
