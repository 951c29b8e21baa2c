using System.Collections.Immutable;
using System.Net;

namespace DnsMcs.Zone.Model;

/// <summary>
/// One endpoint of a slice: addresses of the slice's family, optional hostname, readiness. The addresses are kept
/// packed (the first inline, any further ones in a small array), not as <see cref="IPAddress"/> objects: one endpoint
/// costs about 56 bytes here instead of about 150. <see cref="Addresses"/> makes the objects on each read (explain,
/// tests); the answer builder reads the packed form. Equality is by value (addresses in order, hostname, readiness).
/// </summary>
public sealed record EndpointInfo
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly bool _v6;
    private readonly byte _count;
    private readonly PackedAddress[]? _more;

    public EndpointInfo(ImmutableArray<IPAddress> Addresses, string? Hostname, bool Ready)
    {
        var addresses = Addresses.IsDefault ? [] : Addresses;
        if (addresses.Length > byte.MaxValue)
        {
            throw new ArgumentException("an endpoint holds at most 100 addresses (discovery/v1)", nameof(Addresses));
        }

        _count = (byte)addresses.Length;
        if (addresses.Length > 0)
        {
            (_high, _low, _v6) = PackedAddress.From(addresses[0]);
        }

        if (addresses.Length > 1)
        {
            _more = new PackedAddress[addresses.Length - 1];
            for (var i = 1; i < addresses.Length; i++)
            {
                _more[i - 1] = PackedAddress.From(addresses[i]);
            }
        }

        this.Hostname = Hostname;
        this.Ready = Ready;
    }

    /// <summary>A new array of new objects on every read: for explaining and tests, not for a loop over many endpoints.</summary>
    public ImmutableArray<IPAddress> Addresses
    {
        get
        {
            var addresses = ImmutableArray.CreateBuilder<IPAddress>(_count);
            for (var i = 0; i < _count; i++)
            {
                addresses.Add(AddressAt(i).ToIPAddress());
            }

            return addresses.MoveToImmutable();
        }
    }

    public string? Hostname { get; init; }

    public bool Ready { get; init; }

    internal int AddressCount => _count;

    internal PackedAddress AddressAt(int i) => i == 0 ? new PackedAddress(_high, _low, _v6) : _more![i - 1];

    public bool Equals(EndpointInfo? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._count != _count || other.Ready != Ready || !string.Equals(other.Hostname, Hostname, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            if (AddressAt(i) != other.AddressAt(i))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode() => HashCode.Combine(_high, _low, _count, Hostname, Ready);

    public void Deconstruct(out ImmutableArray<IPAddress> Addresses, out string? Hostname, out bool Ready)
    {
        Addresses = this.Addresses;
        Hostname = this.Hostname;
        Ready = this.Ready;
    }
}
