using DnsMcs.Dns;

namespace DnsMcs.Zone;

/// <summary>What the responder wrote: <see cref="Length"/> 0 means drop the packet (no reply).</summary>
public readonly record struct DnsResponse(int Length, DnsResponseCode ResponseCode, DnsRecordType QuestionType, bool Truncated)
{
    public static DnsResponse Drop => default;
}
