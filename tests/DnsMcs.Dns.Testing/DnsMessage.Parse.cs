namespace DnsMcs.Dns;

public sealed partial class DnsMessage
{
    /// <summary>
    /// Parses a whole message strictly: any malformation, including bytes left over after the last record,
    /// throws <see cref="DnsFormatException"/>, and nothing else is thrown.
    /// </summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < DnsHeader.Size)
        {
            throw new DnsFormatException($"{packet.Length} bytes is shorter than a header");
        }

        var message = new DnsMessage { Id = DnsHeader.ReadId(packet), Flags = DnsHeader.ReadFlags(packet) };
        int questions = DnsHeader.ReadQuestionCount(packet);
        var counts = new int[] { DnsHeader.ReadAnswerCount(packet), DnsHeader.ReadAuthorityCount(packet), DnsHeader.ReadAdditionalCount(packet) };
        var reader = new DnsWireReader(packet) { Position = DnsHeader.Size };
        for (var i = 0; i < questions; i++)
        {
            var name = reader.ReadName(packet.Length);
            var type = (DnsRecordType)reader.ReadUInt16(packet.Length);
            var dnsClass = (DnsClass)reader.ReadUInt16(packet.Length);
            message.Questions.Add(new DnsQuestion(name, type, dnsClass));
        }

        for (var section = DnsSection.Answer; section <= DnsSection.Additional; section++)
        {
            for (var i = 0; i < counts[(int)section - 1]; i++)
            {
                ReadRecord(ref reader, message, section);
            }
        }

        if (reader.Position != packet.Length)
        {
            throw new DnsFormatException($"{packet.Length - reader.Position} bytes after the last record");
        }

        return message;
    }

    private static void ReadRecord(ref DnsWireReader reader, DnsMessage message, DnsSection section)
    {
        var end = reader.Length;
        var name = reader.ReadName(end);
        var type = (DnsRecordType)reader.ReadUInt16(end);
        var dnsClass = reader.ReadUInt16(end);
        var ttl = reader.ReadUInt32(end);
        var rdLength = reader.ReadUInt16(end);
        var rdEnd = reader.Position + rdLength;
        if (rdEnd > end)
        {
            throw new DnsFormatException($"RDLENGTH {rdLength} at offset {reader.Position - 2} runs past the end");
        }

        if (type != DnsRecordType.OPT)
        {
            message.Section(section).Add(new DnsRecord(name, type, (DnsClass)dnsClass, ttl, reader.ReadData(type, rdEnd)));
            return;
        }

        // RFC 6891 §6.1.1: one OPT at most, in the additional section, owned by the root.
        if (section != DnsSection.Additional || message.Opt is not null || name != ".")
        {
            throw new DnsFormatException("OPT record outside the additional section, repeated, or not owned by the root");
        }

        var opt = new DnsOpt
        {
            UdpPayloadSize = dnsClass,
            ExtendedRcode = (byte)(ttl >> 24),
            Version = (byte)(ttl >> 16),
            Flags = (ushort)ttl,
        };
        while (reader.Position < rdEnd)
        {
            var code = reader.ReadUInt16(rdEnd);
            var length = reader.ReadUInt16(rdEnd);
            opt.Options.Add(new DnsOption(code, reader.ReadBytes(length, rdEnd)));
        }

        message.Opt = opt;
    }
}
