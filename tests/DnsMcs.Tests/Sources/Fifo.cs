using System.Diagnostics;

namespace DnsMcs.Tests.Sources;

/// <summary>Named pipes for tests of what the manifest poll must not open (Linux; coreutils' mkfifo).</summary>
internal static class Fifo
{
    public static void Create(string path)
    {
        using var mkfifo = Process.Start("mkfifo", path);
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0, $"mkfifo {path} exited with {mkfifo.ExitCode}");
    }
}
