namespace DnsMcs.Sources;

/// <summary>One <see cref="FileStat.Get"/> answer; times in nanoseconds since the epoch.</summary>
internal readonly record struct FileIdentity(FileStatus Status, FileKind Kind, long Length, long Modified, long Changed, ulong Device, ulong Inode)
{
    /// <summary>The same file, not changed since: what a folder's listing is reused on.</summary>
    public bool SameAs(FileIdentity other) =>
        Status == FileStatus.Found && other.Status == FileStatus.Found
        && (Modified, Changed, Device, Inode) == (other.Modified, other.Changed, other.Device, other.Inode);
}

internal enum FileStatus
{
    Found,
    Missing,
    Unreadable,
}

internal enum FileKind
{
    Regular,
    Directory,
    Other,
}
