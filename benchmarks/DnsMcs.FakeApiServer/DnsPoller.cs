using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;

namespace DnsMcs.FakeApiServer;

/// <summary>
/// Asks one name over UDP in a loop until the answer holds an address: how the benchmark sees an update become
/// servable. One query in flight at a time, one every <see cref="Interval"/> at most, sleeping in between: asking
/// flat out (50k queries a second) kept dnsmcs's UDP thread busy on a two-core machine, and yielding through the
/// interval kept this thread on a core, so the update it waited for waited for a core too. The interval (plus the
/// kernel's timer slack) bounds the figure's resolution to about 0.15 ms. A lost datagram costs one short timeout.
/// </summary>
internal sealed class DnsPoller : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _response = new byte[65535];
    private static readonly long Interval = Stopwatch.Frequency / 10_000; // 0.1 ms
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private ushort _id;

    public DnsPoller(IPEndPoint server)
    {
        _socket.Connect(server);
        _socket.ReceiveTimeout = 200;
    }

    /// <summary>True once <paramref name="name"/> A answers with <paramref name="address"/>; false after <paramref name="timeout"/>.</summary>
    public bool WaitFor(string name, IPAddress address, TimeSpan timeout)
    {
        var started = Environment.TickCount64;
        while (Environment.TickCount64 - started < timeout.TotalMilliseconds)
        {
            var asked = Stopwatch.GetTimestamp();
            if (Answers(name, address))
            {
                return true;
            }

            var left = Interval - (Stopwatch.GetTimestamp() - asked);
            if (left > 0)
            {
                PreciseSleep.For((long)(left * NanosecondsPerTick)); // the rest of the interval goes to whoever needs a core
            }
        }

        return false;
    }

    public bool Answers(string name, IPAddress address)
    {
        var query = DnsMessage.CreateQuery(name, DnsRecordType.A, ++_id).ToWire();
        _socket.Send(query);
        int length;
        try
        {
            length = _socket.Receive(_response);
        }
        catch (SocketException)
        {
            return false; // timed out: ask again
        }

        var message = DnsMessage.Parse(_response.AsSpan(0, length));
        return message.Id == _id && message.Answers.Any(r => r.Data is DnsAddressData a && a.Address.Equals(address));
    }

    public void Dispose() => _socket.Dispose();
}
