using System.Buffers.Binary;
using System.Net;

namespace DnsMcs.Dns;

/// <summary>
/// A bounds-checked cursor over a whole message for the non-hot-path parser. Every malformation
/// becomes a <see cref="DnsFormatException"/>; nothing else escapes.
/// </summary>
internal ref struct DnsWireReader
{
    // A 255-byte name has at most 127 labels, and each pointer must be followed by a label or the end,
    // so more jumps than this means a hostile packet even though pointers only go backwards.
    private const int MaxPointerJumps = 128;

    private readonly ReadOnlySpan<byte> _message;

    public DnsWireReader(ReadOnlySpan<byte> message)
    {
        _message = message;
    }

    public int Position { get; set; }

    public readonly int Length => _message.Length;

    public ushort ReadUInt16(int limit)
    {
        Need(2, limit);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_message[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32(int limit)
    {
        Need(4, limit);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_message[Position..]);
        Position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count, int limit)
    {
        Need(count, limit);
        var bytes = _message.Slice(Position, count);
        Position += count;
        return bytes;
    }

    /// <summary>
    /// Reads a possibly compressed name (RFC 1035 §4.1.4) whose in-place bytes must end by <paramref name="limit"/>.
    /// A pointer must point strictly before the start of the run of labels that holds it (the name itself, or
    /// the previous pointer's target), so targets strictly decrease and decompression always terminates.
    /// </summary>
    public string ReadName(int limit)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxLength];
        var written = 0;
        var pos = Position;
        var bound = limit;
        var end = -1;
        var jumps = 0;
        var runStart = Position;
        while (true)
        {
            if (pos >= bound)
            {
                throw new DnsFormatException($"name at offset {Position} runs past its bounds");
            }

            int length = _message[pos];
            switch (length & 0xC0)
            {
                case 0xC0:
                    if (pos + 1 >= bound)
                    {
                        throw new DnsFormatException($"truncated compression pointer at offset {pos}");
                    }

                    var target = ((length & 0x3F) << 8) | _message[pos + 1];
                    if (target >= runStart)
                    {
                        throw new DnsFormatException($"compression pointer at offset {pos} does not point before its name");
                    }

                    if (++jumps > MaxPointerJumps)
                    {
                        throw new DnsFormatException("too many compression pointers");
                    }

                    if (end < 0)
                    {
                        end = pos + 2;
                    }

                    pos = target;
                    runStart = target;
                    bound = _message.Length;
                    continue;
                case 0x40:
                case 0x80:
                    // Extended (RFC 6891 §5) and unallocated label types.
                    throw new DnsFormatException($"reserved label type 0x{length & 0xC0:X2} at offset {pos}");
            }

            if (length == 0)
            {
                wire[written++] = 0;
                if (end < 0)
                {
                    end = pos + 1;
                }

                break;
            }

            if (pos + 1 + length > bound)
            {
                throw new DnsFormatException($"label at offset {pos} runs past its bounds");
            }

            if (written + 1 + length + 1 > DnsName.MaxLength)
            {
                throw new DnsFormatException("name longer than 255 bytes");
            }

            _message.Slice(pos, 1 + length).CopyTo(wire[written..]);
            written += 1 + length;
            pos += 1 + length;
        }

        Position = end;
        return DnsName.ToText(wire[..written]);
    }

    /// <summary>Reads the RDATA of a non-OPT record; it must fill exactly <paramref name="end"/> - Position bytes.</summary>
    public DnsRecordData ReadData(DnsRecordType type, int end)
    {
        var length = end - Position;
        DnsRecordData data;
        switch (type)
        {
            case DnsRecordType.A or DnsRecordType.AAAA:
                var expected = type == DnsRecordType.A ? 4 : 16;
                if (length != expected)
                {
                    throw new DnsFormatException($"{type} record with RDLENGTH {length}");
                }

                data = new DnsAddressData(new IPAddress(ReadBytes(length, end)));
                break;
            case DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR:
                data = new DnsNameData(ReadName(end));
                break;
            case DnsRecordType.SOA:
                var mname = ReadName(end);
                var rname = ReadName(end);
                data = new DnsSoaData(mname, rname, ReadUInt32(end), ReadUInt32(end), ReadUInt32(end), ReadUInt32(end), ReadUInt32(end));
                break;
            case DnsRecordType.SRV:
                var priority = ReadUInt16(end);
                var weight = ReadUInt16(end);
                var port = ReadUInt16(end);
                data = new DnsSrvData(priority, weight, port, ReadName(end));
                break;
            case DnsRecordType.TXT:
                if (length == 0)
                {
                    throw new DnsFormatException("TXT record without a character-string");
                }

                var strings = new List<string>();
                while (Position < end)
                {
                    var stringLength = ReadBytes(1, end)[0];
                    strings.Add(System.Text.Encoding.Latin1.GetString(ReadBytes(stringLength, end)));
                }

                data = new DnsTxtData(strings);
                break;
            default:
                data = new DnsUnknownData(ReadBytes(length, end));
                break;
        }

        if (Position != end)
        {
            throw new DnsFormatException($"{end - Position} bytes of trailing data inside {type} RDATA");
        }

        return data;
    }

    private readonly void Need(int count, int limit)
    {
        if (count > limit - Position || limit > _message.Length)
        {
            throw new DnsFormatException($"needed {count} bytes at offset {Position}, past the end of the data");
        }
    }
}
