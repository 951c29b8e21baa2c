namespace DnsMcs.Dns;

public sealed partial class DnsMessage
{
    /// <summary>The message in wire form, compressed; throws if it would exceed 65535 bytes.</summary>
    public byte[] ToWire()
    {
        var buffer = new byte[ushort.MaxValue];
        if (!TryWrite(buffer, out var written))
        {
            throw new InvalidOperationException("the message does not fit in 65535 bytes");
        }

        return buffer[..written];
    }

    /// <summary>Writes the message; false when <paramref name="destination"/> is too small (nothing is truncated).</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var writer = new DnsMessageWriter(destination, new ushort[1024]);
        if (!writer.TryWriteHeader(Id, Flags))
        {
            return false;
        }

        foreach (var question in Questions)
        {
            if (!writer.TryWriteQuestion(question))
            {
                return false;
            }
        }

        for (var section = DnsSection.Answer; section <= DnsSection.Additional; section++)
        {
            foreach (var record in Section(section))
            {
                if (!writer.TryWriteRecord(section, record))
                {
                    return false;
                }
            }
        }

        if (Opt is not null && !writer.TryWriteOpt(Opt))
        {
            return false;
        }

        written = writer.Length;
        return true;
    }
}
