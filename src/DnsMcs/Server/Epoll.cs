using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DnsMcs.Server;

/// <summary>
/// Linux epoll, eventfd and timerfd, the few calls <see cref="TcpEventLoop"/> needs. Events travel in a byte buffer rather than
/// a struct because <c>struct epoll_event</c> is packed (12 bytes) on x86-64 and naturally aligned (16) elsewhere.
/// </summary>
internal static partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint Hangup = 0x010;
    public const uint ReadHangup = 0x2000;

    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const int CtlMod = 3;
    private const int CloseOnExec = 0x80000; // EPOLL_CLOEXEC and EFD_CLOEXEC share the value
    private const int Interrupted = 4; // EINTR
    private const int NonBlocking = 0x800; // TFD_NONBLOCK (O_NONBLOCK)
    private const int Monotonic = 1; // CLOCK_MONOTONIC

    /// <summary>Bytes of one <c>struct epoll_event</c> on this architecture.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 12 : 16;

    private static readonly int DataOffset = EventSize - 8;

    public static int Create() => Check(epoll_create1(CloseOnExec), "epoll_create1");

    public static int CreateEventFd() => Check(eventfd(0, CloseOnExec), "eventfd");

    public static void Add(int epoll, int fd, uint events, ulong data) => Control(epoll, CtlAdd, fd, events, data);

    public static void Modify(int epoll, int fd, uint events, ulong data) => Control(epoll, CtlMod, fd, events, data);

    /// <summary>Forgets <paramref name="fd"/>; closing it would too, but only once every duplicate is closed.</summary>
    public static void Remove(int epoll, int fd)
    {
        Span<byte> ignored = stackalloc byte[16];
        ignored.Clear();
        _ = epoll_ctl(epoll, CtlDel, fd, ref MemoryMarshal.GetReference(ignored));
    }

    /// <summary>Waits for events; 0 when interrupted by a signal (the caller just waits again).</summary>
    public static int Wait(int epoll, byte[] events, int timeoutMs)
    {
        var count = epoll_wait(epoll, events, events.Length / EventSize, timeoutMs);
        if (count < 0 && Marshal.GetLastPInvokeError() == Interrupted)
        {
            return 0;
        }

        return Check(count, "epoll_wait");
    }

    public static uint EventsAt(byte[] events, int index) => BinaryPrimitives.ReadUInt32LittleEndian(events.AsSpan(index * EventSize));

    public static ulong DataAt(byte[] events, int index) => MemoryMarshal.Read<ulong>(events.AsSpan((index * EventSize) + DataOffset));

    /// <summary>Adds one to the eventfd's counter, waking a loop waiting on it.</summary>
    public static void Signal(int eventFd, byte[] eight)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(eight, 1);
        _ = write(eventFd, eight, 8);
    }

    /// <summary>Resets the eventfd's counter after a wake-up.</summary>
    public static void Drain(int eventFd, byte[] eight) => _ = read(eventFd, eight, 8);

    public static void Close(int fd) => _ = close(fd);

    /// <summary>A non-blocking timer descriptor on the monotonic clock, disarmed; readable once it has expired.</summary>
    public static int CreateTimerFd() => Check(timerfd_create(Monotonic, CloseOnExec | NonBlocking), "timerfd_create");

    /// <summary>Expires every <paramref name="periodMs"/> from now on; 0 disarms it.</summary>
    public static void SetPeriod(int timerFd, int periodMs)
    {
        var seconds = periodMs / 1000;
        var nanoseconds = periodMs % 1000 * 1_000_000L;
        var spec = new TimerSpec { IntervalSeconds = seconds, IntervalNanoseconds = (nint)nanoseconds, ValueSeconds = seconds, ValueNanoseconds = (nint)nanoseconds };
        Check(timerfd_settime(timerFd, 0, in spec, 0), "timerfd_settime");
    }

    /// <summary>How many periods have ended since the last call (0 if none: the read would block), and resets that count.</summary>
    public static long Expirations(int timerFd, byte[] eight) =>
        read(timerFd, eight, 8) == 8 ? BinaryPrimitives.ReadInt64LittleEndian(eight) : 0;

    // On the stack: the loop changes interest on every stall of a slow client, which must not allocate.
    private static void Control(int epoll, int op, int fd, uint events, ulong data)
    {
        Span<byte> buffer = stackalloc byte[16];
        buffer.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, events);
        MemoryMarshal.Write(buffer[DataOffset..], in data);
        Check(epoll_ctl(epoll, op, fd, ref MemoryMarshal.GetReference(buffer)), "epoll_ctl");
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError(), $"{call} failed");

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, ref byte ev);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, [Out] byte[] events, int maxevents, int timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern int eventfd(uint initval, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buf, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, [Out] byte[] buf, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int timerfd_create(int clockid, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int timerfd_settime(int fd, int flags, in TimerSpec newValue, nint oldValue);

    // struct itimerspec: two struct timespec (time_t and long, both the width of a pointer on Linux's ABIs here).
    [StructLayout(LayoutKind.Sequential)]
    private struct TimerSpec
    {
        public nint IntervalSeconds;
        public nint IntervalNanoseconds;
        public nint ValueSeconds;
        public nint ValueNanoseconds;
    }
}
