using System.Buffers.Binary;
using System.Text;

namespace DnsMcs.Tests.Integration;

/// <summary>Hand-built DNS messages for what dig will not send (malformed ones) and for the readiness probe.</summary>
internal static class DnsPackets
{
    public const ushort TypeA = 1;
    public const int HeaderLength = 12;

    /// <summary>A standard query (RD clear) for <paramref name="name"/>, class IN, no EDNS.</summary>
    public static byte[] Query(ushort id, string name, ushort type, ushort flags = 0)
    {
        var message = new List<byte>();
        var header = new byte[HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        message.AddRange(header);
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }

        message.Add(0);
        message.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        return [.. message];
    }

    /// <summary>Only the 12-byte header of a query that announces one question: readable, but no question follows.</summary>
    public static byte[] HeaderOnly(ushort id) => Query(id, "x", TypeA)[..HeaderLength];

    /// <summary>A query with QR=1, i.e. a response sent to a server; servers must not answer it.</summary>
    public static byte[] Response(ushort id, string name) => Query(id, name, TypeA, flags: 0x8000);

    public static ushort Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static int ResponseCode(ReadOnlySpan<byte> message) => message[3] & 0x0F;

    public static ushort AnswerCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[6..]);

    /// <summary>Prefixes each message with its two-byte length (RFC 1035 §4.2.2).</summary>
    public static byte[] Frame(params byte[][] messages)
    {
        var frames = new List<byte>();
        foreach (var message in messages)
        {
            frames.AddRange([(byte)(message.Length >> 8), (byte)message.Length]);
            frames.AddRange(message);
        }

        return [.. frames];
    }
}
