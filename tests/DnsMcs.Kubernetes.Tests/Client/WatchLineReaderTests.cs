using System.Text;
using DnsMcs.Kubernetes.Client;

namespace DnsMcs.Kubernetes.Tests.Client;

public sealed class WatchLineReaderTests
{
    /// <summary>Hands out at most <paramref name="chunk"/> bytes per read, as a chunked response may.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task ReadLineAsync_LinesSplitAcrossReads_ReturnsWholeLinesSkippingBlanks(int chunk)
    {
        var big = new string('x', 40_000); // larger than the first buffer
        var text = $"{{\"a\":1}}\n\n{{\"b\":\"{big}\"}}\r\n{{\"c\":3}}\n";
        using var reader = new WatchLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk));

        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line.Line.Span).TrimEnd('\r'));
        }

        Assert.Equal(["{\"a\":1}", $"{{\"b\":\"{big}\"}}", "{\"c\":3}"], lines);
    }

    [Fact]
    public async Task ReadLineAsync_StreamEndsInsideEvent_ThrowsTruncated()
    {
        using var reader = new WatchLineReader(new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"type\":\"ADD")));

        Assert.NotNull(await reader.ReadLineAsync(CancellationToken.None));
        await Assert.ThrowsAsync<WatchStreamTruncatedException>(() => reader.ReadLineAsync(CancellationToken.None).AsTask());
    }
}
