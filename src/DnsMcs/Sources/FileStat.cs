using System.Runtime.InteropServices;
using System.Text;

namespace DnsMcs.Sources;

/// <summary>
/// What the manifest poll needs to know of a path, in one <c>statx(2)</c> call that follows symbolic links: the final
/// target's kind, size, modification and change times, and which file it is (device and inode). An edit, a mounted
/// ConfigMap's swap of <c>..data</c>, a rename over the file, even a copy that keeps size and mtime (<c>cp -p</c>):
/// each changes one of them. Linux only (<see cref="IsAvailable"/>, false too where a seccomp profile refuses
/// <c>statx</c>); elsewhere the poll asks <see cref="FileInfo"/>, which takes a <c>readlink</c>, an <c>lstat</c> and
/// a user-id lookup per file, and strings for each.
/// </summary>
internal static class FileStat
{
    private const int AtFdCwd = -100;
    private const uint BasicStats = 0x7ff; // STATX_BASIC_STATS
    private const int BufferSize = 256; // struct statx, the same on every architecture
    private const int NoEntry = 2; // ENOENT
    private const int NotDirectory = 20; // ENOTDIR: a path through something that is not a folder (any more)
    private const int Loop = 40; // ELOOP: a link that points back at itself

    /// <summary>True where <see cref="Get"/> works: Linux with a <c>statx</c> the process may call.</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>The NUL-terminated UTF-8 form of <paramref name="path"/>, made once per listed path.</summary>
    public static byte[] NativePath(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>The final target of <paramref name="nativePath"/>; <see cref="FileStatus.Missing"/> for a dangling link too.</summary>
    public static FileIdentity Get(byte[] nativePath)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        if (statx(AtFdCwd, nativePath, 0, BasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return new FileIdentity(error is NoEntry or NotDirectory or Loop ? FileStatus.Missing : FileStatus.Unreadable, FileKind.Other, 0, 0, 0, 0, 0);
        }

        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            _ => FileKind.Other, // a FIFO, socket or device: never read, a FIFO would block the poll
        };
        var device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        return new FileIdentity(
            FileStatus.Found,
            kind,
            Length: (long)MemoryMarshal.Read<ulong>(buffer[40..]),
            Modified: Nanoseconds(buffer[112..]),
            Changed: Nanoseconds(buffer[96..]),
            Device: device,
            Inode: MemoryMarshal.Read<ulong>(buffer[32..]));
    }

    // struct statx_timestamp: seconds (s64), then nanoseconds (u32).
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        (MemoryMarshal.Read<long>(timestamp) * 1_000_000_000) + MemoryMarshal.Read<uint>(timestamp[8..]);

    private static bool Probe()
    {
        try
        {
            return Get(NativePath("/")) is { Status: FileStatus.Found, Kind: FileKind.Directory };
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // a C library without statx (glibc before 2.28)
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, byte[] pathname, int flags, uint mask, ref byte buffer);
}
