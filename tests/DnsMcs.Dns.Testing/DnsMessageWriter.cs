using System.Buffers.Binary;

namespace DnsMcs.Dns;

/// <summary>
/// Writes a message into a caller's buffer: header, questions, then records section by section, keeping the
/// header counts current. Every Try method returns false when the buffer (or a 16-bit count) is full and then
/// leaves the writer as it was, so a caller can stop and set TC. Owner names and the names inside NS, CNAME,
/// PTR and SOA RDATA are compressed (RFC 1035 §4.1.4); SRV targets never are (RFC 2782, RFC 3597 §4).
/// </summary>
public ref struct DnsMessageWriter
{
    /// <summary>Size of the table the one-argument constructor allocates.</summary>
    public const int DefaultCompressionTargets = 128;

    // A pointer has 14 bits of offset.
    private const int MaxPointerOffset = 0x3FFF;

    private readonly Span<byte> _buffer;
    private readonly Span<ushort> _targets;
    private int _targetCount;
    private int _position;
    private int _stage; // 0 = header not written, then 1 questions, 2.. = DnsSection + 1

    public DnsMessageWriter(Span<byte> buffer)
        : this(buffer, new ushort[DefaultCompressionTargets])
    {
    }

    /// <summary>
    /// <paramref name="compressionTable"/> holds the offsets of labels that later names may point to;
    /// when it is full, names are still written, just less compressed. An empty table turns compression off.
    /// </summary>
    public DnsMessageWriter(Span<byte> buffer, Span<ushort> compressionTable)
    {
        _buffer = buffer;
        _targets = compressionTable;
    }

    public readonly int Length => _position;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    public bool TryWriteHeader(ushort id, ushort flags)
    {
        if (_stage != 0)
        {
            throw new InvalidOperationException("the header is already written");
        }

        if (_buffer.Length < DnsHeader.Size)
        {
            return false;
        }

        DnsHeader.Write(_buffer, id, flags, 0, 0, 0, 0);
        _position = DnsHeader.Size;
        _stage = 1;
        return true;
    }

    public bool TryWriteQuestion(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        Span<byte> wire = stackalloc byte[DnsName.MaxLength];
        var length = EncodeName(question.Name, wire);
        return TryWriteQuestion(wire[..length], question.Type, question.Class);
    }

    /// <summary>Writes a question whose name is uncompressed wire form.</summary>
    public bool TryWriteQuestion(scoped ReadOnlySpan<byte> name, DnsRecordType type, DnsClass dnsClass)
    {
        EnterStage(1);
        var saved = Save();
        if (!TryWriteName(name, compress: true) || !TryWriteUInt16((ushort)type) || !TryWriteUInt16((ushort)dnsClass) || !TryBumpCount(4))
        {
            Restore(saved);
            return false;
        }

        return true;
    }

    public bool TryWriteRecord(DnsSection section, DnsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (section is < DnsSection.Answer or > DnsSection.Additional)
        {
            throw new ArgumentOutOfRangeException(nameof(section));
        }

        EnterStage((int)section + 1);
        var saved = Save();
        Span<byte> wire = stackalloc byte[DnsName.MaxLength];
        var length = EncodeName(record.Name, wire);
        if (!TryWriteName(wire[..length], compress: true)
            || !TryWriteUInt16((ushort)record.Type)
            || !TryWriteUInt16((ushort)record.Class)
            || !TryWriteUInt32(record.Ttl)
            || !TryWriteData(record.Data)
            || !TryBumpCount(4 + (2 * (int)section)))
        {
            Restore(saved);
            return false;
        }

        return true;
    }

    /// <summary>Writes the OPT pseudo-record (RFC 6891 §6.1.2) into the additional section.</summary>
    public bool TryWriteOpt(DnsOpt opt)
    {
        ArgumentNullException.ThrowIfNull(opt);
        EnterStage((int)DnsSection.Additional + 1);
        var saved = Save();
        if (!TryWriteBytes(DnsName.Root)
            || !TryWriteUInt16((ushort)DnsRecordType.OPT)
            || !TryWriteUInt16(opt.UdpPayloadSize)
            || !TryWriteUInt32(opt.Ttl)
            || !TryWriteRdata(opt))
        {
            Restore(saved);
            return false;
        }

        if (!TryBumpCount(10))
        {
            Restore(saved);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Writes an uncompressed wire name at the current position. With <paramref name="compress"/>, the longest
    /// suffix already in the message (matched ignoring ASCII case) becomes a pointer, and the labels written here
    /// become targets for later names. Without it the name is neither compressed nor a target.
    /// </summary>
    public bool TryWriteName(scoped ReadOnlySpan<byte> name, bool compress)
    {
        if (!DnsName.TryMeasureUncompressed(name, 0, out var nameLength) || nameLength != name.Length)
        {
            throw new ArgumentException("not an uncompressed wire name", nameof(name));
        }

        var saved = Save();
        var start = 0;
        while (compress && name[start] != 0)
        {
            var target = FindSuffix(name[start..]);
            if (target >= 0)
            {
                if (!TryWriteLabels(name[..start], register: true) || !TryWriteUInt16((ushort)(0xC000 | target)))
                {
                    Restore(saved);
                    return false;
                }

                return true;
            }

            start += name[start] + 1;
        }

        if (!TryWriteLabels(name, register: compress))
        {
            Restore(saved);
            return false;
        }

        return true;
    }

    private bool TryWriteData(DnsRecordData data)
    {
        var lengthAt = _position;
        if (!TryWriteUInt16(0))
        {
            return false;
        }

        var ok = data switch
        {
            DnsAddressData address => address.Address.TryWriteBytes(_buffer[_position..], out var written) && Advance(written),
            DnsNameData name => TryWriteTextName(name.Target, compress: true),
            DnsSoaData soa => TryWriteTextName(soa.PrimaryServer, compress: true)
                && TryWriteTextName(soa.ResponsibleMailbox, compress: true)
                && TryWriteUInt32(soa.Serial)
                && TryWriteUInt32(soa.Refresh)
                && TryWriteUInt32(soa.Retry)
                && TryWriteUInt32(soa.Expire)
                && TryWriteUInt32(soa.Minimum),
            DnsSrvData srv => TryWriteUInt16(srv.Priority)
                && TryWriteUInt16(srv.Weight)
                && TryWriteUInt16(srv.Port)
                && TryWriteTextName(srv.Target, compress: false),
            DnsTxtData txt => TryWriteStrings(txt.Strings),
            DnsUnknownData unknown => TryWriteBytes(unknown.Data.Span),
            _ => throw new ArgumentException($"cannot write {data.GetType().Name}", nameof(data)),
        };
        return ok && TryPatchLength(lengthAt);
    }

    private bool TryWriteRdata(DnsOpt opt)
    {
        var lengthAt = _position;
        if (!TryWriteUInt16(0))
        {
            return false;
        }

        foreach (var option in opt.Options)
        {
            if (!TryWriteUInt16(option.Code) || !TryWriteUInt16((ushort)option.Data.Length) || !TryWriteBytes(option.Data.Span))
            {
                return false;
            }
        }

        return TryPatchLength(lengthAt);
    }

    private bool TryPatchLength(int lengthAt)
    {
        var length = _position - lengthAt - 2;
        if (length > ushort.MaxValue)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[lengthAt..], (ushort)length);
        return true;
    }

    private bool TryWriteStrings(IReadOnlyList<string> strings)
    {
        foreach (var s in strings)
        {
            if (_buffer.Length - _position < 1 + s.Length)
            {
                return false;
            }

            _buffer[_position++] = (byte)s.Length;
            foreach (var c in s)
            {
                _buffer[_position++] = (byte)c;
            }
        }

        return true;
    }

    private bool TryWriteTextName(string name, bool compress)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxLength];
        var length = EncodeName(name, wire);
        return TryWriteName(wire[..length], compress);
    }

    private bool TryWriteLabels(scoped ReadOnlySpan<byte> labels, bool register)
    {
        if (_buffer.Length - _position < labels.Length)
        {
            return false;
        }

        for (var i = 0; i < labels.Length && labels[i] != 0; i += labels[i] + 1)
        {
            var offset = _position + i;
            if (register && offset <= MaxPointerOffset && _targetCount < _targets.Length)
            {
                _targets[_targetCount++] = (ushort)offset;
            }
        }

        labels.CopyTo(_buffer[_position..]);
        _position += labels.Length;
        return true;
    }

    /// <summary>The offset of an earlier name equal to <paramref name="suffix"/> ignoring ASCII case, or -1.</summary>
    private readonly int FindSuffix(scoped ReadOnlySpan<byte> suffix)
    {
        for (var i = 0; i < _targetCount; i++)
        {
            if (NameAtEquals(_targets[i], suffix))
            {
                return _targets[i];
            }
        }

        return -1;
    }

    private readonly bool NameAtEquals(int offset, scoped ReadOnlySpan<byte> name)
    {
        var pos = offset;
        var index = 0;
        while (true)
        {
            int length = _buffer[pos];
            if ((length & 0xC0) == 0xC0)
            {
                // Only this writer's pointers are here, and they point backwards, so this ends.
                pos = ((length & 0x3F) << 8) | _buffer[pos + 1];
                continue;
            }

            if (length != name[index])
            {
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            for (var k = 1; k <= length; k++)
            {
                if (AsciiLower(_buffer[pos + k]) != AsciiLower(name[index + k]))
                {
                    return false;
                }
            }

            pos += length + 1;
            index += length + 1;
        }
    }

    private static byte AsciiLower(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

    private static int EncodeName(string name, Span<byte> wire)
    {
        // Names in records and questions were validated when those were built.
        if (!DnsName.TryEncode(name, wire, out var written, out var error))
        {
            throw new ArgumentException($"'{name}' is not a valid domain name: {error}", nameof(name));
        }

        return written;
    }

    private void EnterStage(int stage)
    {
        if (_stage == 0)
        {
            throw new InvalidOperationException("write the header first");
        }

        if (stage < _stage)
        {
            throw new InvalidOperationException("questions and sections must be written in wire order");
        }

        _stage = stage;
    }

    private bool TryBumpCount(int countOffset)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(_buffer[countOffset..]);
        if (count == ushort.MaxValue)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[countOffset..], (ushort)(count + 1));
        return true;
    }

    private bool TryWriteUInt16(ushort value)
    {
        if (!BinaryPrimitives.TryWriteUInt16BigEndian(_buffer[_position..], value))
        {
            return false;
        }

        _position += 2;
        return true;
    }

    private bool TryWriteUInt32(uint value)
    {
        if (!BinaryPrimitives.TryWriteUInt32BigEndian(_buffer[_position..], value))
        {
            return false;
        }

        _position += 4;
        return true;
    }

    private bool TryWriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (!bytes.TryCopyTo(_buffer[_position..]))
        {
            return false;
        }

        _position += bytes.Length;
        return true;
    }

    private bool Advance(int count)
    {
        _position += count;
        return true;
    }

    private readonly (int Position, int Targets) Save() => (_position, _targetCount);

    private void Restore((int Position, int Targets) saved) => (_position, _targetCount) = saved;
}
