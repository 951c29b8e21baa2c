using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using DnsMcs.Zone;

namespace DnsMcs.Server;

/// <summary>
/// One UDP socket drained with recvmmsg and answered with sendmmsg (Linux, 64-bit), as Knot does: one wake-up takes
/// up to <see cref="BatchSize"/> queued datagrams and one call sends their answers, each to its own source address.
/// Everything the kernel reads or writes (datagrams, answers, headers, iovecs, the source addresses) is made once per
/// loop and pinned, so a datagram costs no allocation.
/// </summary>
internal sealed class UdpBatchLoop : IDisposable
{
    /// <summary>Datagrams per recvmmsg: Knot's figure; more only deepens the burst one wake-up serves before it answers.</summary>
    public const int BatchSize = 10;

    private const int NoSuchCall = 38; // ENOSYS

    private readonly UdpDnsListener _listener;
    private readonly IPacketResponder _responder;
    private readonly byte[] _queries = GC.AllocateUninitializedArray<byte>(BatchSize * UdpDnsListener.ReceiveBufferBytes, pinned: true);
    private readonly byte[] _responses = GC.AllocateUninitializedArray<byte>(BatchSize * UdpDnsListener.ResponseBufferBytes, pinned: true);

    // Receive headers, send headers, receive iovecs, send iovecs, in that order.
    private readonly byte[] _headers = GC.AllocateArray<byte>((2 * BatchSize * RecvMmsg.HeaderSize) + (2 * BatchSize * RecvMmsg.IovecSize), pinned: true);
    private readonly SocketAddress[] _addresses = new SocketAddress[BatchSize];
    private readonly GCHandle[] _addressPins = new GCHandle[BatchSize];
    private readonly nint[] _addressPointers = new nint[BatchSize];
    private readonly DnsPeer[] _peers = new DnsPeer[BatchSize];
    private readonly int _addressSize;
    private readonly nint _receiveHeaders;
    private readonly nint _sendHeaders;
    private LogThrottle _packetErrors = new(UdpDnsListener.ErrorReportInterval);
    private LogThrottle _socketErrors = new(UdpDnsListener.ErrorReportInterval);

    public UdpBatchLoop(UdpDnsListener listener, IPacketResponder responder, AddressFamily family)
    {
        _listener = listener;
        _responder = responder;
        _receiveHeaders = Marshal.UnsafeAddrOfPinnedArrayElement(_headers, 0);
        _sendHeaders = _receiveHeaders + (BatchSize * RecvMmsg.HeaderSize);
        var receiveIovecs = (2 * BatchSize * RecvMmsg.HeaderSize);
        var sendIovecs = receiveIovecs + (BatchSize * RecvMmsg.IovecSize);
        var queries = Marshal.UnsafeAddrOfPinnedArrayElement(_queries, 0);
        var responses = Marshal.UnsafeAddrOfPinnedArrayElement(_responses, 0);
        for (var i = 0; i < BatchSize; i++)
        {
            // The SocketAddress's own buffer is the sockaddr the kernel fills (on Unix it holds the native layout), so
            // the responder's DnsPeer reads the source as the managed loop's does, with no copy.
            var address = new SocketAddress(family);
            _addresses[i] = address;
            _addressSize = address.Size;
            if (!MemoryMarshal.TryGetArray<byte>(address.Buffer, out var segment) || segment.Array is null)
            {
                throw new InvalidOperationException("SocketAddress is not backed by an array");
            }

            _addressPins[i] = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
            _addressPointers[i] = _addressPins[i].AddrOfPinnedObject() + segment.Offset;
            _peers[i] = new DnsPeer(address);

            var receiveIovec = receiveIovecs + (i * RecvMmsg.IovecSize);
            WritePointer(receiveIovec, queries + (i * UdpDnsListener.ReceiveBufferBytes));
            WriteLength(receiveIovec + 8, UdpDnsListener.ReceiveBufferBytes);
            var header = i * RecvMmsg.HeaderSize;
            WritePointer(header + RecvMmsg.NameOffset, _addressPointers[i]);
            WritePointer(header + RecvMmsg.IovOffset, _receiveHeaders + receiveIovec);
            WriteLength(header + RecvMmsg.IovLengthOffset, 1);

            // Send iovecs point at answer slots; which slot and how long is set per batch.
            var sendIovec = sendIovecs + (i * RecvMmsg.IovecSize);
            WritePointer(sendIovec, responses + (i * UdpDnsListener.ResponseBufferBytes));
            var sendHeader = (BatchSize * RecvMmsg.HeaderSize) + header;
            WritePointer(sendHeader + RecvMmsg.IovOffset, _receiveHeaders + sendIovec);
            WriteLength(sendHeader + RecvMmsg.IovLengthOffset, 1);
        }
    }

    /// <summary>
    /// Serves <paramref name="fd"/> until the listener stops; false at once, before any datagram is taken, when the
    /// kernel or libc lacks the calls (the caller then runs the managed loop).
    /// </summary>
    public bool Run(int fd)
    {
        var first = true;
        while (!_listener.Stopping)
        {
            ResetNameLengths();
            int received;
            int errno;
            try
            {
                received = RecvMmsg.Receive(fd, _receiveHeaders, BatchSize, out errno);
            }
            catch (Exception e) when (first && e is EntryPointNotFoundException or DllNotFoundException)
            {
                return false;
            }

            if (received < 0)
            {
                if (first && errno == NoSuchCall)
                {
                    return false;
                }

                first = false;
                if (_listener.Stopping)
                {
                    return true;
                }

                // Same rule as the managed loop: a remote peer's error costs that datagram; anything else gets a breath
                // so a persistent fault cannot spin a core.
                if (errno != RecvMmsg.Interrupted && _listener.ReportSocketError(ref _socketErrors, RecvMmsg.ToSocketError(errno)))
                {
                    Thread.Sleep(1);
                }

                continue;
            }

            first = false;
            if (received == 0)
            {
                // Shut down: the listener is stopping (it shuts the socket down to wake this call).
                if (!_listener.Stopping)
                {
                    Thread.Sleep(1);
                }

                continue;
            }

            var answers = Answer(received);
            if (answers > 0)
            {
                SendAll(fd, answers);
            }

            _listener.AnswerAllocationProbe();
        }

        return true;
    }

    public void Dispose()
    {
        for (var i = 0; i < BatchSize; i++)
        {
            if (_addressPins[i].IsAllocated)
            {
                _addressPins[i].Free();
            }
        }
    }

    /// <summary>Answers the received datagrams into their slots and fills one send header per answer; returns how many.</summary>
    private int Answer(int received)
    {
        var answers = 0;
        for (var i = 0; i < received; i++)
        {
            var header = i * RecvMmsg.HeaderSize;
            var length = BinaryPrimitives.ReadInt32LittleEndian(_headers.AsSpan(header + RecvMmsg.LengthOffset));
            var response = _responses.AsSpan(i * UdpDnsListener.ResponseBufferBytes, UdpDnsListener.ResponseBufferBytes);
            DnsResponse answer;
            try
            {
                answer = _responder.Respond(_queries.AsSpan(i * UdpDnsListener.ReceiveBufferBytes, length), response, DnsTransport.Udp, _peers[i]);
            }
            catch (Exception e)
            {
                // A responder bug must cost one query, not the batch.
                _listener.ReportPacketError(ref _packetErrors, e);
                continue;
            }

            if (answer.Length == 0)
            {
                continue;
            }

            // Answer i goes out from slot i to the address datagram i came from; its header is the next free send one.
            var sendHeader = (BatchSize * RecvMmsg.HeaderSize) + (answers * RecvMmsg.HeaderSize);
            var sendIovec = (2 * BatchSize * RecvMmsg.HeaderSize) + ((BatchSize + answers) * RecvMmsg.IovecSize);
            var responses = Marshal.UnsafeAddrOfPinnedArrayElement(_responses, 0);
            WritePointer(sendIovec, responses + (i * UdpDnsListener.ResponseBufferBytes));
            WriteLength(sendIovec + 8, answer.Length);
            WritePointer(sendHeader + RecvMmsg.NameOffset, _addressPointers[i]);
            var nameLength = BinaryPrimitives.ReadInt32LittleEndian(_headers.AsSpan(header + RecvMmsg.NameLengthOffset));
            BinaryPrimitives.WriteInt32LittleEndian(_headers.AsSpan(sendHeader + RecvMmsg.NameLengthOffset), nameLength);
            answers++;
        }

        return answers;
    }

    /// <summary>Sends every answer; a datagram the kernel refuses is dropped (and reported as the managed loop does).</summary>
    private void SendAll(int fd, int answers)
    {
        var next = 0;
        while (next < answers && !_listener.Stopping)
        {
            var sent = RecvMmsg.Send(fd, _sendHeaders + (next * RecvMmsg.HeaderSize), answers - next, out var errno);
            if (sent > 0)
            {
                next += sent;
                continue;
            }

            if (sent < 0 && errno == RecvMmsg.Interrupted)
            {
                continue;
            }

            // The first answer left failed (unreachable peer, full send buffer): drop it, as a router would, and go on.
            _listener.ReportSocketError(ref _socketErrors, RecvMmsg.ToSocketError(errno));
            next++;
        }
    }

    /// <summary>The kernel writes each source's length into msg_namelen; it must say the whole buffer before each receive.</summary>
    private void ResetNameLengths()
    {
        for (var i = 0; i < BatchSize; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_headers.AsSpan((i * RecvMmsg.HeaderSize) + RecvMmsg.NameLengthOffset), _addressSize);
        }
    }

    private void WritePointer(int offset, nint value) => MemoryMarshal.Write(_headers.AsSpan(offset), in value);

    private void WriteLength(int offset, long value) => MemoryMarshal.Write(_headers.AsSpan(offset), in value);
}
