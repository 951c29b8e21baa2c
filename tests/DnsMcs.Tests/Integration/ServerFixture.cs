namespace DnsMcs.Tests.Integration;

/// <summary>
/// One <c>dnsmcs serve</c> process for all integration tests that only ask questions: started on a free loopback
/// port over a temp folder of <see cref="FixtureManifests"/>, stopped (SIGTERM, then kill) when the tests are done.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Zone = "clusterset.local";

    private const int StartAttempts = 3;

    private DnsMcsProcess? _process;

    public int Port { get; private set; }

    public string ManifestDirectory { get; } = Path.Combine(Path.GetTempPath(), $"dnsmcs-it-{Guid.NewGuid():N}");

    internal DnsMcsProcess Process => _process ?? throw new InvalidOperationException("the server is not running");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ManifestDirectory);
        FixtureManifests.WriteAll(ManifestDirectory);

        // The free port can be taken between our probe and the server's bind; another port fixes that.
        for (var attempt = 1; ; attempt++)
        {
            Port = DnsMcsProcess.FreePort();
            _process = DnsMcsProcess.Start("serve", "--listen", DnsMcsProcess.Listen(Port), "--manifests", ManifestDirectory);
            try
            {
                await _process.WaitUntilAnsweringAsync(Port, Zone);
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && _process.HasExited && _process.ExitCode == 2)
            {
                await _process.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            Directory.Delete(ManifestDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    internal Task<DigResult> DigAsync(string name, string type, params string[] options) => Dig.QueryAsync(Port, name, type, options);
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "dnsmcs process";
}
