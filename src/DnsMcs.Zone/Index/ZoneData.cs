using System.Collections.Concurrent;

namespace DnsMcs.Zone.Index;

/// <summary>
/// Everything a reader needs that depends on the zone's configuration: the apex and TTLs, the fixed names,
/// and the services' precompiled answers (which embed the zone's length and the TTL). Services are swapped
/// in one at a time; a reconfiguration (reload) swaps the whole object, so no reader mixes two configurations.
/// </summary>
internal sealed class ZoneData
{
    public ZoneData(ZoneContext zone, IReadOnlyList<System.Net.IPAddress> nameServerAddresses)
    {
        Zone = zone;
        Apex = new ApexNames(zone, nameServerAddresses);
        Builder = new ServiceAnswerBuilder(zone);
        ServiceLookup = Services.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public ZoneContext Zone { get; }

    public ApexNames Apex { get; }

    /// <summary>Writer-side only (under the index's write lock).</summary>
    public ServiceAnswerBuilder Builder { get; }

    /// <summary>Keyed by "&lt;svc&gt;.&lt;ns&gt;" in lowercased wire form, no root label.</summary>
    public ConcurrentDictionary<byte[], ServiceAnswers> Services { get; } = new(ByteKeyComparer.Instance);

    public ConcurrentDictionary<byte[], ServiceAnswers>.AlternateLookup<ReadOnlySpan<byte>> ServiceLookup { get; }
}
