using System.Text;

namespace DnsMcs.Zone.Index;

/// <summary>The zone apex in wire form and the TTLs, shared by the builders and the responder.</summary>
internal sealed class ZoneContext
{
    /// <summary>dns-version's TTL: the schema version rarely changes (MCS DNS specification).</summary>
    public const uint VersionTtl = 28800;

    /// <summary>The MCS DNS schema version served at dns-version.&lt;zone&gt;.</summary>
    public const string SchemaVersion = "1.0.0";

    public ZoneContext(ZoneOptions options)
    {
        if (options.Ttl > ZoneOptions.MaxTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Ttl, $"TTL must be between 0 and {ZoneOptions.MaxTtl} seconds");
        }

        if (!Naming.NameRules.TryNormalizeZone(options.Zone, out var zone, out var error))
        {
            throw new ArgumentException(error, nameof(options));
        }

        Options = options;
        Name = zone;
        Wire = Dns.DnsName.Encode(zone);
        Ttl = options.Ttl;
        SoaTtl = Math.Min(options.Ttl, 300u);
    }

    public ZoneOptions Options { get; }

    /// <summary>The zone without a trailing dot, lowercased.</summary>
    public string Name { get; }

    /// <summary>The zone in wire form, lowercased, root label included.</summary>
    public byte[] Wire { get; }

    public uint Ttl { get; }

    public uint SoaTtl { get; }

    /// <summary>Appends labels to a wire-form prefix (no root label).</summary>
    public static void AppendLabel(List<byte> wire, string label)
    {
        var count = Encoding.ASCII.GetByteCount(label);
        if (count is 0 or > Dns.DnsName.MaxLabelLength)
        {
            throw new ArgumentException($"'{label}' is not a DNS label", nameof(label));
        }

        wire.Add((byte)count);
        foreach (var ch in label)
        {
            wire.Add((byte)char.ToLowerInvariant(ch));
        }
    }

    /// <summary>Wire form of the given labels, no root label.</summary>
    public static byte[] Labels(params ReadOnlySpan<string> labels)
    {
        var wire = new List<byte>(32);
        foreach (var label in labels)
        {
            foreach (var part in label.Split('.'))
            {
                AppendLabel(wire, part);
            }
        }

        return [.. wire];
    }
}
