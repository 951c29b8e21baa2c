using System.Runtime.InteropServices;

namespace DnsMcs.FakeApiServer;

/// <summary>
/// Sleeps for a fraction of a millisecond: <c>nanosleep</c> on Linux (the kernel's timer slack, 50 µs by default,
/// is the overshoot), a yield elsewhere. <see cref="Thread.Sleep(int)"/> counts whole milliseconds, and spinning
/// through the interval kept a core busy that dnsmcs and the API server's writer needed on a two-core machine.
/// </summary>
internal static partial class PreciseSleep
{
    public static void For(long nanoseconds)
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.Yield();
            return;
        }

        var request = new Timespec(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
        _ = nanosleep(ref request, IntPtr.Zero); // EINTR: a shorter sleep, and the poll simply asks again sooner
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);

    [DllImport("libc", SetLastError = true)]
    private static extern int nanosleep(ref Timespec request, IntPtr remaining);
}
