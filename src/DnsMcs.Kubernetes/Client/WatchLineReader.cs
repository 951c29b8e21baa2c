using System.Buffers;
using System.Diagnostics;

namespace DnsMcs.Kubernetes.Client;

/// <summary>
/// Splits a watch response into newline-delimited events without copying each line: a line is
/// a view into a pooled buffer, valid until the next read. Notes when the bytes arrived.
/// </summary>
internal sealed class WatchLineReader(Stream stream) : IDisposable
{
    // An event is one object; a huge EndpointSlice is well under this.
    private const int MaxLineBytes = 64 * 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private long _lastReadAt;

    /// <summary>The next non-empty line, or null when the stream ended cleanly after a complete line.</summary>
    /// <exception cref="WatchStreamTruncatedException">The stream ended in the middle of an event.</exception>
    public async ValueTask<(ReadOnlyMemory<byte> Line, long ArrivedAt)?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, newline);
                _start += newline + 1;
                if (line.Span.Trim(" \r\t"u8).IsEmpty)
                {
                    continue;
                }

                return (line, _lastReadAt);
            }

            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (!_buffer.AsSpan(_start, _end - _start).Trim(" \r\t"u8).IsEmpty)
                {
                    throw new WatchStreamTruncatedException($"watch stream ended inside an event ({_end - _start} bytes of it read)");
                }

                return null;
            }

            _end += read;
            _lastReadAt = Stopwatch.GetTimestamp();
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new WatchStreamTruncatedException($"watch event larger than {MaxLineBytes} bytes");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }
}

/// <summary>The watch stream was cut inside an event (or carried an unreadable one); resume from the last complete event.</summary>
public sealed class WatchStreamTruncatedException : IOException
{
    public WatchStreamTruncatedException()
    {
    }

    public WatchStreamTruncatedException(string message)
        : base(message)
    {
    }

    public WatchStreamTruncatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
