using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;

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

    private static readonly (AddressFamily Family, DnsRecordType Type)[] AddressTypes =
        [(AddressFamily.InterNetwork, DnsRecordType.A), (AddressFamily.InterNetworkV6, DnsRecordType.AAAA)];

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

    public static int AddressRecordSize(IPAddress address) => 12 + (address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16);

    /// <summary>An A or AAAA record; the owner is a pointer to <paramref name="ownerOffset"/> (12 = the question).</summary>
    public void WriteAddress(int ownerOffset, uint ttl, IPAddress address)
    {
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        WriteHeader(ownerOffset, v4 ? DnsRecordType.A : DnsRecordType.AAAA, ttl, (ushort)(v4 ? 4 : 16));
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        _buffer.WriteBytes(bytes[..written]);
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
    public void WriteAddressWithOwner(ReadOnlySpan<byte> owner, uint ttl, IPAddress address)
    {
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        _buffer.WriteBytes(owner);
        WriteFixed(v4 ? DnsRecordType.A : DnsRecordType.AAAA, ttl, (ushort)(v4 ? 4 : 16));
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        _buffer.WriteBytes(bytes[..written]);
    }

    public byte[] ToArray() => _buffer.ToArray(0);

    /// <summary>The A set and the AAAA set (each only if non-empty) of a name of the given wire length.</summary>
    public static RecordSet[] AddressSets(WireBuffer buffer, int nameLength, uint ttl, IEnumerable<IPAddress> addresses) =>
        AddressSets(buffer, nameLength, ttl, addresses, out _);

    /// <summary>As above; <paramref name="dropped"/> counts the addresses left out because the message would pass 65535 bytes.</summary>
    public static RecordSet[] AddressSets(WireBuffer buffer, int nameLength, uint ttl, IEnumerable<IPAddress> addresses, out int dropped)
    {
        var sets = new List<RecordSet>(2);
        dropped = 0;
        foreach (var (family, type) in AddressTypes)
        {
            var writer = new RecordWriter(buffer, nameLength);
            ushort count = 0;
            foreach (var address in addresses)
            {
                if (address.AddressFamily != family)
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
                sets.Add(new RecordSet(type, writer.ToArray(), count, 0));
            }
        }

        return [.. sets];
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
