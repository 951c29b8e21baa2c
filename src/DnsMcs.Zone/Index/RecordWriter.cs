using DnsMcs.Dns;
using DnsMcs.Zone.Model;

namespace DnsMcs.Zone.Index;

/// <summary>
/// Writes resource records into a <see cref="WireBuffer"/> whose first byte will sit at message offset
/// <see cref="Origin"/> (right after the question). Knowing the origin lets owner names be compression
/// pointers to names written earlier: the question at offset 12, or an SRV target in these bytes.
/// </summary>
internal sealed class RecordWriter
{
    /// <summary>The largest DNS message (RFC 1035 §4.2.2, two-byte TCP length).</summary>
    public const int MaxMessage = 65535;

    /// <summary>Room always kept for the OPT record (11 bytes) after the sections.</summary>
    private const int OptReserve = 11;

    private readonly WireBuffer _buffer;

    public RecordWriter(WireBuffer buffer, int questionNameLength)
    {
        _buffer = buffer;
        _buffer.Clear();
        Origin = DnsHeader.Size + questionNameLength + 4;
    }

    public int Origin { get; }

    /// <summary>The message offset of the next byte written.</summary>
    public int Offset => Origin + _buffer.Length;

    /// <summary>False once a record would push the message past 65535 bytes; the caller stops adding records.</summary>
    public bool HasRoomFor(int bytes) => Offset + bytes + OptReserve <= MaxMessage;

    public static int AddressRecordSize(PackedAddress address) => 12 + address.Length;

    /// <summary>An A or AAAA record; the owner is a pointer to <paramref name="ownerOffset"/> (12 = the question).</summary>
    public void WriteAddress(int ownerOffset, uint ttl, PackedAddress address)
    {
        WriteHeader(ownerOffset, address.IsV6 ? DnsRecordType.AAAA : DnsRecordType.A, ttl, (ushort)address.Length);
        Span<byte> bytes = stackalloc byte[16];
        _buffer.WriteBytes(bytes[..address.WriteTo(bytes)]);
    }

    /// <summary>
    /// An SRV record. The target is written in full, never compressed (RFC 2782; RFC 3597 §4), and its
    /// message offset is returned so additional records can point to it.
    /// </summary>
    public int WriteSrv(int ownerOffset, uint ttl, ushort weight, ushort port, ReadOnlySpan<byte> target)
    {
        WriteHeader(ownerOffset, DnsRecordType.SRV, ttl, (ushort)(6 + target.Length));
        _buffer.WriteUInt16(0); // priority
        _buffer.WriteUInt16(weight);
        _buffer.WriteUInt16(port);
        var targetOffset = Offset;
        _buffer.WriteBytes(target);
        return targetOffset;
    }

    /// <summary>An NS record whose target is "ns.dns" followed by a pointer to the zone; returns the target's offset.</summary>
    public int WriteNameServer(int ownerOffset, uint ttl, int zoneOffset)
    {
        WriteHeader(ownerOffset, DnsRecordType.NS, ttl, 9);
        var targetOffset = Offset;
        _buffer.WriteBytes("\u0002ns\u0003dns"u8);
        _buffer.WritePointer(zoneOffset);
        return targetOffset;
    }

    public void WriteText(int ownerOffset, uint ttl, string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        WriteHeader(ownerOffset, DnsRecordType.TXT, ttl, (ushort)(bytes.Length + 1));
        _buffer.WriteByte((byte)bytes.Length);
        _buffer.WriteBytes(bytes);
    }

    /// <summary>An owner name written in full (when it cannot be a pointer, e.g. past offset 16383).</summary>
    public void WriteAddressWithOwner(ReadOnlySpan<byte> owner, uint ttl, PackedAddress address)
    {
        _buffer.WriteBytes(owner);
        WriteFixed(address.IsV6 ? DnsRecordType.AAAA : DnsRecordType.A, ttl, (ushort)address.Length);
        Span<byte> bytes = stackalloc byte[16];
        _buffer.WriteBytes(bytes[..address.WriteTo(bytes)]);
    }

    /// <summary>What has been written since the writer was made.</summary>
    public ReadOnlySpan<byte> Written => _buffer.Written;

    /// <summary>
    /// Adds to <paramref name="names"/> the A set and the AAAA set (each only if non-empty) of a name of the given wire
    /// length; <paramref name="dropped"/> counts the addresses left out because the message would pass 65535 bytes.
    /// </summary>
    public static void AddressSets(WireBuffer buffer, NameTableBuilder names, int nameLength, uint ttl, List<PackedAddress> addresses, out int dropped)
    {
        dropped = 0;
        foreach (var v6 in (ReadOnlySpan<bool>)[false, true])
        {
            var writer = new RecordWriter(buffer, nameLength);
            ushort count = 0;
            foreach (var address in addresses)
            {
                if (address.IsV6 != v6)
                {
                    continue;
                }

                if (writer.HasRoomFor(AddressRecordSize(address)))
                {
                    writer.WriteAddress(DnsHeader.Size, ttl, address);
                    count++;
                }
                else
                {
                    dropped++;
                }
            }

            if (count > 0)
            {
                names.AddSet(v6 ? DnsRecordType.AAAA : DnsRecordType.A, writer.Written, count, 0);
            }
        }
    }

    private void WriteHeader(int ownerOffset, DnsRecordType type, uint ttl, ushort rdLength)
    {
        _buffer.WritePointer(ownerOffset);
        WriteFixed(type, ttl, rdLength);
    }

    private void WriteFixed(DnsRecordType type, uint ttl, ushort rdLength)
    {
        _buffer.WriteUInt16((ushort)type);
        _buffer.WriteUInt16((ushort)DnsClass.IN);
        _buffer.WriteUInt32(ttl);
        _buffer.WriteUInt16(rdLength);
    }
}
