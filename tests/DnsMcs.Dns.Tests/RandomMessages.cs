using System.Net;
using System.Text;

namespace DnsMcs.Dns.Tests;

/// <summary>
/// Seeded random messages with every record type. Names come from a tree, so they share suffixes and
/// compression has work to do; each name has one spelling, ignoring case, so compression (which matches
/// case-insensitively) cannot change how a name reads back.
/// </summary>
internal sealed class RandomMessages
{
    private const string LabelBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

    private readonly Random _random;
    private readonly List<string> _names = [];
    private readonly HashSet<string> _spellings = new(StringComparer.OrdinalIgnoreCase);

    public RandomMessages(int seed)
    {
        _random = new Random(seed);
        Add(_random.Next(2) == 0 ? "clusterset.local." : "ClusterSet.LOCAL.");
        for (var i = 0; i < 12; i++)
        {
            var parent = _names[_random.Next(_names.Count)];
            Add(DnsName.ToText([.. RandomLabel(), .. DnsName.Encode(parent)]));
        }
    }

    public DnsMessage Next()
    {
        var message = new DnsMessage
        {
            Id = (ushort)_random.Next(0x10000),
            Flags = (ushort)(_random.Next(0x10000) & ~DnsHeader.RcodeMask),
        };
        for (var i = _random.Next(1, 3); i > 0; i--)
        {
            message.Questions.Add(new DnsQuestion(Name(), (DnsRecordType)_random.Next(1, 300), _random.Next(4) == 0 ? DnsClass.ANY : DnsClass.IN));
        }

        message.Answers.Add(Record());
        foreach (var section in new[] { message.Answers, message.Authorities, message.Additionals })
        {
            for (var i = _random.Next(4); i > 0; i--)
            {
                section.Add(Record());
            }
        }

        if (_random.Next(2) == 0)
        {
            message.Opt = new DnsOpt
            {
                UdpPayloadSize = (ushort)_random.Next(0x10000),
                Version = (byte)_random.Next(2),
                Flags = (ushort)_random.Next(0x10000),
            };
            for (var i = _random.Next(3); i > 0; i--)
            {
                message.Opt.Options.Add(new DnsOption((ushort)_random.Next(0x10000), Bytes(_random.Next(8))));
            }
        }

        message.ResponseCode = (DnsResponseCode)_random.Next(message.Opt is null ? 16 : 4096);
        return message;
    }

    private DnsRecord Record()
    {
        var name = Name();
        var ttl = (uint)_random.NextInt64(0, 1L << 32);
        return (_random.Next(10)) switch
        {
            0 => new DnsRecord(name, ttl, new DnsAddressData(new IPAddress(Bytes(4)))),
            1 => new DnsRecord(name, ttl, new DnsAddressData(new IPAddress(Bytes(16)))),
            2 => new DnsRecord(name, DnsRecordType.NS, DnsClass.IN, ttl, new DnsNameData(Name())),
            3 => new DnsRecord(name, DnsRecordType.CNAME, DnsClass.IN, ttl, new DnsNameData(Name())),
            4 => new DnsRecord(name, DnsRecordType.PTR, DnsClass.IN, ttl, new DnsNameData(Name())),
            5 => new DnsRecord(name, ttl, new DnsSoaData(Name(), Name(), UInt(), UInt(), UInt(), UInt(), UInt())),
            6 => new DnsRecord(name, ttl, new DnsSrvData((ushort)_random.Next(0x10000), (ushort)_random.Next(0x10000), (ushort)_random.Next(0x10000), Name())),
            7 => new DnsRecord(name, ttl, new DnsTxtData(Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Encoding.Latin1.GetString(Bytes(_random.Next(0, 40)))))),
            8 => new DnsRecord(name, (DnsRecordType)_random.Next(0x100, 0x10000), (DnsClass)_random.Next(1, 5), ttl, new DnsUnknownData(Bytes(_random.Next(0, 30)))),
            _ => new DnsRecord(name, DnsRecordType.MX, DnsClass.IN, ttl, new DnsUnknownData(Bytes(_random.Next(0, 30)))),
        };
    }

    private string Name() => _names[_random.Next(_names.Count)];

    private uint UInt() => (uint)_random.NextInt64(0, 1L << 32);

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] RandomLabel()
    {
        var length = _random.Next(1, 20);
        var label = new byte[length + 1];
        label[0] = (byte)length;
        for (var i = 1; i <= length; i++)
        {
            // Mostly letters in both cases; sometimes a byte that needs an escape in text.
            label[i] = _random.Next(12) == 0 ? (byte)".\\ \"()@;$\u00ff\u0001"[_random.Next(11)] : (byte)LabelBytes[_random.Next(LabelBytes.Length)];
        }

        return label;
    }

    private void Add(string name)
    {
        if (_spellings.Add(name))
        {
            _names.Add(name);
        }
    }
}
