using DnsMcs.Dns;
using DnsMcs.Zone.Index;

namespace DnsMcs.Zone.Tests.Index;

/// <summary>The flat name table behind every service's answers: what Put and TryAdd keep, and what a lookup finds.</summary>
public sealed class NameTableTests
{
    public static TheoryData<string, string[], string, bool, int> Cases => new()
    {
        // (case, operations "put:key:setCount" / "add:key:setCount" in order, key looked up, found, sets of the found name)
        { "empty key is a name", ["put::1"], "", true, 1 },
        { "missing name", ["put:a:1"], "b", false, 0 },
        { "put replaces", ["put:a:1", "put:a:2"], "a", true, 2 },
        { "try-add keeps the first", ["put:a:2", "add:a:0"], "a", true, 2 },
        { "try-add adds an empty non-terminal", ["put:a:1", "add:b:0"], "b", true, 0 },
        { "prefix is not the name", ["put:ab:1"], "a", false, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryGet_AfterOperations_FindsWhatWasKept(string name, string[] operations, string key, bool found, int sets)
    {
        _ = name;
        var builder = new NameTableBuilder();
        foreach (var operation in operations)
        {
            var parts = operation.Split(':');
            var mark = builder.SetMark;
            for (var i = 0; i < int.Parse(parts[2]); i++)
            {
                builder.AddSet(i == 0 ? DnsRecordType.A : DnsRecordType.AAAA, [(byte)i, 1, 2, 3], 1, 0);
            }

            if (parts[0] == "put")
            {
                builder.Put(Key(parts[1]), mark);
            }
            else
            {
                builder.TryAdd(Key(parts[1]), mark);
            }
        }

        var table = builder.Build();

        Assert.Equal(found, table.TryGet(Key(key), out var node));
        Assert.Equal(sets, node.Count);
    }

    [Fact]
    public void TryGet_ThousandsOfNames_FindsEachWithItsOwnBytes()
    {
        var builder = new NameTableBuilder();
        for (var i = 0; i < 5000; i++)
        {
            var mark = builder.SetMark;
            builder.AddSet(DnsRecordType.A, BitConverter.GetBytes(i), 1, 0);
            builder.Put(Key($"host-{i}.cluster-a"), mark);
        }

        var table = builder.Build();

        for (var i = 0; i < 5000; i++)
        {
            Assert.True(table.TryGet(Key($"host-{i}.cluster-a"), out var node));
            Assert.True(node.TryGet(DnsRecordType.A, out var set));
            Assert.Equal(BitConverter.GetBytes(i), set.Wire.ToArray());
            Assert.False(node.TryGet(DnsRecordType.AAAA, out _));
        }

        Assert.False(table.TryGet(Key("host-5000.cluster-a"), out _));
    }

    [Fact]
    public void Build_AfterClear_HoldsOnlyTheNewNames()
    {
        var builder = new NameTableBuilder();
        builder.Put(Key("old"), builder.SetMark);
        builder.Build();
        builder.Clear();
        builder.Put(Key("new"), builder.SetMark);

        var table = builder.Build();

        Assert.False(table.TryGet(Key("old"), out _));
        Assert.True(table.TryGet(Key("new"), out _));
        Assert.Equal(1, table.Count);
    }

    private static byte[] Key(string dotted) => dotted.Length == 0 ? [] : ZoneContext.Labels(dotted);
}
