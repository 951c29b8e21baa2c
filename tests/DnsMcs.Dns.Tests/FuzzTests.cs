namespace DnsMcs.Dns.Tests;

public sealed class FuzzTests
{
    private const int Packets = 100_000;

    /// <summary>
    /// Random bytes, and valid messages with bytes flipped, cut, or spliced: DnsQuery.Parse never throws and
    /// DnsMessage.Parse throws nothing but DnsFormatException. Seeded, so a failure reproduces.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Parse_RandomAndMutatedPackets_OnlyDnsFormatException(int seed)
    {
        var random = new Random(seed);
        var messages = new RandomMessages(seed);
        var valid = Enumerable.Range(0, 64).Select(_ => messages.Next().ToWire()).ToList();
        var parsed = 0;
        for (var i = 0; i < Packets / 2; i++)
        {
            var packet = Mutate(random, valid[random.Next(valid.Count)]);
            DnsQuery.Parse(packet, out _);
            try
            {
                DnsMessage.Parse(packet);
                parsed++;
            }
            catch (DnsFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"packet {Convert.ToHexString(packet)} threw {e}");
            }
        }

        // The mutations must leave some packets valid, or the test would exercise only the first checks.
        Assert.InRange(parsed, 1, Packets / 2);
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        switch (random.Next(6))
        {
            case 0:
                var noise = new byte[random.Next(0, 80)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return valid[..random.Next(valid.Length + 1)];
            case 2:
                var spliced = new byte[valid.Length + random.Next(1, 8)];
                valid.CopyTo(spliced, 0);
                random.NextBytes(spliced.AsSpan(valid.Length));
                return spliced;
            default:
                var flipped = (byte[])valid.Clone();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var at = random.Next(flipped.Length);
                    // Half the time write a byte that means something to the name decoder.
                    flipped[at] = random.Next(2) == 0 ? (byte)random.Next(256) : new byte[] { 0xC0, 0x3F, 0x40, 0x80, 0x00, 0xFF }[random.Next(6)];
                }

                return flipped;
        }
    }
}
