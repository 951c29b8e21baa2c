using System.Buffers.Binary;

namespace DnsMcs.Zone.Index;

/// <summary>
/// A growable byte buffer for precompiling records. Owned by the index writer (one thread at a time)
/// and reused across builds; only the finished record sets are copied out.
/// </summary>
internal sealed class WireBuffer
{
    private byte[] _buffer = new byte[1024];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    /// <summary>A compression pointer (RFC 1035 §4.1.4) to an absolute message offset.</summary>
    public void WritePointer(int offset)
    {
        if (offset is < 0 or > 0x3FFF)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "compression pointers reach 16383 bytes at most");
        }

        WriteUInt16((ushort)(0xC000 | offset));
    }

    public void PatchUInt16(int at, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), value);

    public byte[] ToArray(int start) => _buffer.AsSpan(start, Length - start).ToArray();

    private void Ensure(int extra)
    {
        if (Length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
        }
    }
}
