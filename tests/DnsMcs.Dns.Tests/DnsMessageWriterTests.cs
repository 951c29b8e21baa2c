namespace DnsMcs.Dns.Tests;

public sealed class DnsMessageWriterTests
{
    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 300));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ToWire_RandomMessage_ParsesBackEqualAndShorterThanUncompressed(int seed)
    {
        var generator = new RandomMessages(seed);
        for (var i = 0; i < 5; i++)
        {
            var message = generator.Next();
            var compressed = message.ToWire();
            var uncompressed = WriteUncompressed(message);

            AssertEqual(message, DnsMessage.Parse(compressed));
            AssertEqual(message, DnsMessage.Parse(uncompressed));
            Assert.True(compressed.Length < uncompressed.Length, $"compressed {compressed.Length} bytes, uncompressed {uncompressed.Length}");
            Assert.Equal(compressed, DnsMessage.Parse(compressed).ToWire());
            foreach (var record in message.Answers.Concat(message.Authorities).Concat(message.Additionals))
            {
                Assert.Equal(record, DnsRecord.Parse(record.ToString()));
            }
        }
    }

    [Fact]
    public void TryWriteRecord_NamePastOffset0x3FFF_NeverPointedTo()
    {
        var buffer = new byte[ushort.MaxValue];
        var writer = new DnsMessageWriter(buffer);
        Assert.True(writer.TryWriteHeader(1, 0));
        var filler = new DnsRecord("filler.", 5, new DnsTxtData(new string('x', 255)));
        while (writer.Length <= 0x3FFF)
        {
            Assert.True(writer.TryWriteRecord(DnsSection.Answer, filler));
        }

        var far = DnsRecord.Parse("n.far. 5 IN A 10.0.0.1");
        Assert.True(writer.TryWriteRecord(DnsSection.Answer, far));
        var before = writer.Length;
        Assert.True(writer.TryWriteRecord(DnsSection.Answer, far));

        // 14 bits of pointer cannot reach the first "n.far." (RFC 1035 §4.1.4), so it is written again in full;
        // "filler." sits below 0x3FFF and is still a target: the second filler record (after 8 + 10 + 256 bytes) points to it.
        Assert.Equal("016E03666172" + "00", Convert.ToHexString(writer.Written.Slice(before, 7)));
        Assert.Equal(0xC0, writer.Written[12 + 8 + 10 + 256]);
        var parsed = DnsMessage.Parse(writer.Written);
        Assert.Equal(far, parsed.Answers[^1]);
        Assert.All(parsed.Answers.SkipLast(2), record => Assert.Equal(filler, record));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryWrite_EveryShortBuffer_FalseWithoutThrowing(int seed)
    {
        var message = new RandomMessages(seed).Next();
        var length = message.ToWire().Length;
        var buffer = new byte[length];
        for (var size = 0; size < length; size += 1 + (seed % 7))
        {
            Assert.False(message.TryWrite(buffer.AsSpan(0, size), out var written));
            Assert.Equal(0, written);
        }

        Assert.True(message.TryWrite(buffer, out var full));
        Assert.Equal(length, full);
    }

    [Fact]
    public void TryWriteRecord_BufferFull_LeavesWriterAsBefore()
    {
        var record = DnsRecord.Parse("web.shop.svc.clusterset.local. 5 IN A 10.0.0.1");
        var buffer = new byte[12 + 35 + 5];
        var writer = new DnsMessageWriter(buffer);
        Assert.True(writer.TryWriteHeader(1, DnsHeader.QrFlag));
        Assert.True(writer.TryWriteQuestion(new DnsQuestion("web.shop.svc.clusterset.local.", DnsRecordType.A)));
        var before = writer.Length;

        Assert.False(writer.TryWriteRecord(DnsSection.Answer, record));

        Assert.Equal(before, writer.Length);
        var parsed = DnsMessage.Parse(writer.Written);
        Assert.Single(parsed.Questions);
        Assert.Empty(parsed.Answers);
    }

    public static TheoryData<string, string, string> Compression => new()
    {
        // Owner equal to the question ignoring case: a pointer to offset 12, and it reads back in the question's spelling.
        { "web.shop.svc.clusterset.local.", "WEB.Shop.svc.clusterset.local. 5 IN A 10.0.0.1", "C00C 0001 0001 00000005 0004 0A000001" },
        { "web.shop.", "api.SHOP. 5 IN A 10.0.0.1", "03 617069 C010 0001 0001 00000005 0004 0A000001" },
        { "web.shop.", "web.shop. 5 IN CNAME api.shop.", "C00C 0005 0001 00000005 0006 03 617069 C010" },
        { "web.shop.", "shop. 5 IN NS ns.WEB.shop.", "C010 0002 0001 00000005 0005 02 6E73 C00C" },
        { "web.shop.", "shop. 5 IN PTR web.shop.", "C010 000C 0001 00000005 0002 C00C" },
        { "shop.", "shop. 5 IN SOA ns.shop. mail.shop. 1 2 3 4 5", "C00C 0006 0001 00000005 0020 02 6E73 C00C 04 6D61696C C00C 00000001 00000002 00000003 00000004 00000005" },
        // RFC 2782: the SRV target is written in full even though the question holds it.
        { "web.shop.", "_http._tcp.web.shop. 5 IN SRV 0 50 80 web.shop.", "05 5F68747470 04 5F746370 C00C 0021 0001 00000005 0010 0000 0032 0050 03 776562 04 73686F70 00" },
        { "web.shop.", "other. 5 IN TYPE999 \\# 2 C00C", "05 6F74686572 00 03E7 0001 00000005 0002 C00C" },
    };

    [Theory]
    [MemberData(nameof(Compression))]
    public void TryWriteRecord_AfterQuestion_CompressesAsExpected(string question, string record, string expectedHex)
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer);
        Assert.True(writer.TryWriteHeader(1, 0));
        Assert.True(writer.TryWriteQuestion(new DnsQuestion(question, DnsRecordType.A)));
        var questionEnd = writer.Length;
        Assert.True(writer.TryWriteRecord(DnsSection.Answer, DnsRecord.Parse(record)));
        Assert.Equal(Convert.ToHexString(Wire.Hex(expectedHex)), Convert.ToHexString(writer.Written[questionEnd..]));
        Assert.Single(DnsMessage.Parse(writer.Written).Answers);
    }

    [Fact]
    public void TryWriteRecord_SrvTarget_NotACompressionTarget()
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer);
        Assert.True(writer.TryWriteHeader(1, 0));
        Assert.True(writer.TryWriteRecord(DnsSection.Answer, DnsRecord.Parse("a. 5 IN SRV 0 0 1 t.example.")));
        var before = writer.Length;
        Assert.True(writer.TryWriteRecord(DnsSection.Answer, DnsRecord.Parse("t.example. 5 IN A 10.0.0.1")));
        Assert.Equal("01 74 07 6578616D706C65 00".Replace(" ", string.Empty), Convert.ToHexString(writer.Written.Slice(before, 11)));
    }

    [Fact]
    public void TryWriteRecord_SectionOutOfOrder_Throws()
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer);
        Assert.True(writer.TryWriteHeader(1, 0));
        Assert.True(writer.TryWriteRecord(DnsSection.Authority, DnsRecord.Parse("a. 5 IN A 10.0.0.1")));
        var record = DnsRecord.Parse("a. 5 IN A 10.0.0.1");
        var threw = false;
        try
        {
            writer.TryWriteRecord(DnsSection.Answer, record);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void TryWriteName_EmptyCompressionTable_WritesInFull()
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer, []);
        Assert.True(writer.TryWriteHeader(1, 0));
        Assert.True(writer.TryWriteName(DnsName.Encode("a.b."), compress: true));
        Assert.True(writer.TryWriteName(DnsName.Encode("a.b."), compress: true));
        Assert.Equal("016101620001610162" + "00", Convert.ToHexString(writer.Written[12..]));
    }

    private static byte[] WriteUncompressed(DnsMessage message)
    {
        var buffer = new byte[ushort.MaxValue];
        var writer = new DnsMessageWriter(buffer, []);
        Assert.True(writer.TryWriteHeader(message.Id, message.Flags));
        foreach (var question in message.Questions)
        {
            Assert.True(writer.TryWriteQuestion(question));
        }

        for (var section = DnsSection.Answer; section <= DnsSection.Additional; section++)
        {
            foreach (var record in message.Section(section))
            {
                Assert.True(writer.TryWriteRecord(section, record));
            }
        }

        if (message.Opt is not null)
        {
            Assert.True(writer.TryWriteOpt(message.Opt));
        }

        return writer.Written.ToArray();
    }

    private static void AssertEqual(DnsMessage expected, DnsMessage actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.ResponseCode, actual.ResponseCode);
        Assert.Equal(expected.Questions, actual.Questions);
        Assert.Equal(expected.Answers, actual.Answers);
        Assert.Equal(expected.Authorities, actual.Authorities);
        Assert.Equal(expected.Additionals, actual.Additionals);
        Assert.Equal(expected.Opt, actual.Opt);
    }
}
