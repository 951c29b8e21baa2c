using DnsMcs.Dns;

namespace DnsMcs.Zone.Index;

/// <summary>
/// The precompiled sections that answer one (name, type): the answer records, then their additional
/// records, in wire form for a message whose question name is exactly the node's name. Owner names are
/// compression pointers to offset 12 (the question), or to names written earlier in these bytes, so the
/// bytes are copied as they are after the question. A view into its <see cref="NameTable"/>'s arena.
/// </summary>
internal readonly struct RecordSet(DnsRecordType type, byte[] bytes, int offset, int length, ushort answers, ushort additionals)
{
    private readonly byte[] _bytes = bytes;
    private readonly int _offset = offset;
    private readonly int _length = length;

    public DnsRecordType Type { get; } = type;

    public ReadOnlySpan<byte> Wire => _bytes.AsSpan(_offset, _length);

    public ushort Answers { get; } = answers;

    public ushort Additionals { get; } = additionals;
}
