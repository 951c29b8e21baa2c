using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// The precompiled sections that answer one (name, type): the answer records, then their additional
/// records, in wire form for a message whose question name is exactly the node's name. Owner names are
/// compression pointers to offset 12 (the question), or to names written earlier in these bytes, so the
/// bytes are copied as they are after the question.
/// </summary>
internal readonly struct RecordSet(DnsRecordType type, byte[] wire, ushort answers, ushort additionals)
{
    public DnsRecordType Type { get; } = type;

    public byte[] Wire { get; } = wire;

    public ushort Answers { get; } = answers;

    public ushort Additionals { get; } = additionals;
}
