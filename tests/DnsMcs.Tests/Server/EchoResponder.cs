using DnsMcs.Dns;
using DnsMcs.Server;
using DnsMcs.Zone;

namespace DnsMcs.Tests.Server;

/// <summary>
/// A stand-in responder that exercises the transport without the zone: it echoes the query with QR set, and its
/// first byte selects a behaviour (drop, throw, a largest possible answer).
/// </summary>
internal sealed class EchoResponder : IPacketResponder
{
    public const byte Drop = 0xFF;
    public const byte Throw = 0xEE;
    public const byte Huge = 0xAA;

    private int _answered;

    public int Answered => Volatile.Read(ref _answered);

    public DnsResponse Respond(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, DnsPeer peer)
    {
        if (query.IsEmpty || query[0] == Drop)
        {
            return DnsResponse.Drop;
        }

        if (query[0] == Throw)
        {
            throw new InvalidOperationException("the responder failed");
        }

        var length = query[0] == Huge && transport == DnsTransport.Tcp ? TcpFrames.MaxMessage : query.Length;
        response[..length].Fill(0x5A);
        query[..Math.Min(length, query.Length)].CopyTo(response);
        if (length > 2)
        {
            response[2] |= 0x80;
        }

        Interlocked.Increment(ref _answered);
        return new DnsResponse(length, DnsResponseCode.NoError, DnsRecordType.A, Truncated: false);
    }

    /// <summary>What <see cref="Respond"/> answers to <paramref name="query"/> over UDP.</summary>
    public static byte[] Expected(byte[] query)
    {
        var answer = (byte[])query.Clone();
        if (answer.Length > 2)
        {
            answer[2] |= 0x80;
        }

        return answer;
    }
}
