using DnsMcs.Sources;

namespace DnsMcs.Tests.Sources;

/// <summary>statx as the manifest poll reads it, checked against what .NET's own file APIs say of the same paths.</summary>
public sealed class FileStatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsmcs-filestat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Get_RegularFile_SizeTimesAndKindAsFileInfoSaysThem()
    {
        if (!FileStat.IsAvailable)
        {
            return; // not Linux: the poll uses FileInfo
        }

        var path = Path.Combine(_dir, "web.yaml");
        File.WriteAllText(path, "kind: List\nitems: []\n");
        var modified = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(path, modified);

        var stat = FileStat.Get(FileStat.NativePath(path));

        Assert.Equal((FileStatus.Found, FileKind.Regular, new FileInfo(path).Length), (stat.Status, stat.Kind, stat.Length));
        Assert.Equal((modified - DateTime.UnixEpoch).Ticks * 100, stat.Modified);
        Assert.InRange(stat.Changed, (DateTime.UtcNow.AddMinutes(-5) - DateTime.UnixEpoch).Ticks * 100, (DateTime.UtcNow.AddMinutes(5) - DateTime.UnixEpoch).Ticks * 100);
        Assert.NotEqual(0UL, stat.Inode);
    }

    // Status and kind by name: the enums are internal, and a public theory cannot take them as parameters.
    public static TheoryData<string, string, string> Paths => new()
    {
        { "folder", "Found", "Directory" },
        { "link-to-file", "Found", "Regular" },
        { "link-to-folder", "Found", "Directory" },
        { "dangling-link", "Missing", "Other" },
        { "link-to-itself", "Missing", "Other" },
        { "missing", "Missing", "Other" },
        { "file/below-a-file", "Missing", "Other" },
        { "fifo", "Found", "Other" },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Get_Path_FollowsLinksToWhatTheyName(string relative, string status, string kind)
    {
        if (!FileStat.IsAvailable)
        {
            return;
        }

        File.WriteAllText(Path.Combine(_dir, "file"), "x");
        Directory.CreateDirectory(Path.Combine(_dir, "folder"));
        File.CreateSymbolicLink(Path.Combine(_dir, "link-to-file"), "file");
        Directory.CreateSymbolicLink(Path.Combine(_dir, "link-to-folder"), "folder");
        File.CreateSymbolicLink(Path.Combine(_dir, "dangling-link"), "nowhere");
        File.CreateSymbolicLink(Path.Combine(_dir, "link-to-itself"), "link-to-itself");
        Fifo.Create(Path.Combine(_dir, "fifo"));

        var stat = FileStat.Get(FileStat.NativePath(Path.Combine(_dir, relative)));

        Assert.Equal((Enum.Parse<FileStatus>(status), Enum.Parse<FileKind>(kind)), (stat.Status, stat.Kind));
    }

    [Fact]
    public void Get_FileRenamedOverWithSameSizeAndMtime_AnotherInode()
    {
        if (!FileStat.IsAvailable)
        {
            return;
        }

        var path = Path.Combine(_dir, "web.yaml");
        var replacement = Path.Combine(_dir, ".web.yaml.tmp");
        File.WriteAllText(path, "a: 1\n");
        File.WriteAllText(replacement, "a: 2\n");
        var modified = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc); // the same to the nanosecond on both
        File.SetLastWriteTimeUtc(path, modified);
        File.SetLastWriteTimeUtc(replacement, modified);
        var before = FileStat.Get(FileStat.NativePath(path));

        File.Move(replacement, path, overwrite: true);
        var after = FileStat.Get(FileStat.NativePath(path));

        Assert.Equal((before.Length, before.Modified), (after.Length, after.Modified));
        Assert.NotEqual(before.Inode, after.Inode);
        Assert.False(after.SameAs(before));
        Assert.True(after.SameAs(FileStat.Get(FileStat.NativePath(path))));
    }
}
