using System.Buffers.Binary;

namespace DnsMcs.Dns;

/// <summary>The fixed 12-byte message header (RFC 1035 §4.1.1), read and written in place.</summary>
public static class DnsHeader
{
    public const int Size = 12;

    public const ushort QrFlag = 0x8000;
    public const ushort AaFlag = 0x0400;
    public const ushort TcFlag = 0x0200;
    public const ushort RdFlag = 0x0100;
    public const ushort RaFlag = 0x0080;
    public const ushort AdFlag = 0x0020;
    public const ushort CdFlag = 0x0010;
    public const int OpcodeShift = 11;
    public const ushort OpcodeMask = 0x7800;
    public const ushort RcodeMask = 0x000F;

    public static ushort ReadId(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static ushort ReadFlags(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[2..]);

    public static ushort ReadQuestionCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[4..]);

    public static ushort ReadAnswerCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[6..]);

    public static ushort ReadAuthorityCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[8..]);

    public static ushort ReadAdditionalCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[10..]);

    public static DnsOpcode GetOpcode(ushort flags) => (DnsOpcode)((flags & OpcodeMask) >> OpcodeShift);

    public static void Write(Span<byte> message, ushort id, ushort flags, ushort qd, ushort an, ushort ns, ushort ar)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(message[4..], qd);
        BinaryPrimitives.WriteUInt16BigEndian(message[6..], an);
        BinaryPrimitives.WriteUInt16BigEndian(message[8..], ns);
        BinaryPrimitives.WriteUInt16BigEndian(message[10..], ar);
    }
}
