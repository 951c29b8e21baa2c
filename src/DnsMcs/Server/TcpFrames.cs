using System.Buffers.Binary;
using DnsMcs.Zone;

namespace DnsMcs.Server;

/// <summary>What <see cref="TcpFrames.Answer"/> did with one buffer of input.</summary>
/// <param name="Consumed">Input bytes answered (whole frames only).</param>
/// <param name="Written">Output bytes to send, length prefixes included.</param>
/// <param name="Close">The responder dropped a message: send what is written, then close.</param>
/// <param name="Needed">Bytes the next unanswered frame needs in total (prefix included), 0 when the input was used up or the output filled.</param>
internal readonly record struct TcpBatch(int Consumed, int Written, bool Close, int Needed);

/// <summary>
/// RFC 1035 §4.2.2 / RFC 7766 framing: each message is preceded by its length as two big-endian bytes. Pure span
/// work so it is testable without sockets: the connection reads, calls <see cref="Answer"/>, and flushes once.
/// </summary>
internal static class TcpFrames
{
    public const int PrefixLength = 2;
    public const int MaxMessage = ushort.MaxValue;
    public const int MaxFrame = PrefixLength + MaxMessage;

    /// <summary>
    /// Answers, in order, every complete frame at the start of <paramref name="input"/> while
    /// <paramref name="output"/> still has room for a largest possible answer (the responder needs 65535 bytes for TCP).
    /// </summary>
    public static TcpBatch Answer(ReadOnlySpan<byte> input, Span<byte> output, IPacketResponder responder, DnsPeer peer)
    {
        var consumed = 0;
        var written = 0;
        while (true)
        {
            var rest = input[consumed..];
            if (rest.Length < PrefixLength)
            {
                return new TcpBatch(consumed, written, Close: false, Needed: rest.Length == 0 ? 0 : PrefixLength);
            }

            var frame = PrefixLength + BinaryPrimitives.ReadUInt16BigEndian(rest);
            if (rest.Length < frame)
            {
                return new TcpBatch(consumed, written, Close: false, Needed: frame);
            }

            if (output.Length - written < MaxFrame)
            {
                return new TcpBatch(consumed, written, Close: false, Needed: 0);
            }

            var answer = responder.Respond(rest[PrefixLength..frame], output.Slice(written + PrefixLength, MaxMessage), DnsTransport.Tcp, peer);
            consumed += frame;
            if (answer.Length == 0)
            {
                return new TcpBatch(consumed, written, Close: true, Needed: 0);
            }

            BinaryPrimitives.WriteUInt16BigEndian(output[written..], (ushort)answer.Length);
            written += PrefixLength + answer.Length;
        }
    }
}
