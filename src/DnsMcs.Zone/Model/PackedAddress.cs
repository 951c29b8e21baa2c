using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DnsMcs.Zone.Model;

/// <summary>
/// An IPv4 or IPv6 address as two integers (IPv4 in the low 32 bits of <see cref="Low"/>): what the model keeps
/// instead of an <see cref="IPAddress"/> object (40 bytes, plus its cached text once formatted), and what the
/// answer builder hashes and writes without allocating. The scope id is dropped: no DNS record carries it.
/// </summary>
internal readonly record struct PackedAddress(ulong High, ulong Low, bool IsV6)
{
    public int Length => IsV6 ? 16 : 4;

    public AddressFamily Family => IsV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    public static PackedAddress From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? new PackedAddress(0, BinaryPrimitives.ReadUInt32BigEndian(bytes), IsV6: false)
            : new PackedAddress(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), IsV6: true);
    }

    /// <summary>Network byte order into <paramref name="destination"/> (4 or 16 bytes); returns the length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (!IsV6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Low);
            return 4;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
        return 16;
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        return new IPAddress(bytes[..WriteTo(bytes)]);
    }

    public override string ToString() => ToIPAddress().ToString();
}
