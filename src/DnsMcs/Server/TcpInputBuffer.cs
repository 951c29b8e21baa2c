using System.Buffers;

namespace DnsMcs.Server;

/// <summary>
/// A TCP connection's unanswered input: bytes read but not yet answered, at <c>[Start, End)</c> of a pooled array
/// that grows only for a client that really sends a frame bigger than the first one.
/// </summary>
internal sealed class TcpInputBuffer : IDisposable
{
    // Most queries are well under 512 bytes.
    private const int InitialBytes = 4096;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _start;
    private int _end;

    /// <summary>Where the next read goes.</summary>
    public Memory<byte> Free => _buffer.AsMemory(_end);

    /// <summary>Read and not yet answered.</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public bool HasPending => _start < _end;

    public void Advance(int read) => _end += read;

    public void Consume(int answered) => _start += answered;

    /// <summary>Keeps the unanswered bytes and makes sure the next frame (of <paramref name="needed"/> bytes) fits behind them.</summary>
    public void MakeRoomFor(int needed)
    {
        var pending = _end - _start;
        if (pending == 0)
        {
            _start = _end = 0;
            return;
        }

        if (_start + needed <= _buffer.Length)
        {
            return;
        }

        var target = _buffer;
        if (needed > _buffer.Length)
        {
            target = ArrayPool<byte>.Shared.Rent(needed);
        }

        _buffer.AsSpan(_start, pending).CopyTo(target);
        if (!ReferenceEquals(target, _buffer))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = target;
        }

        _start = 0;
        _end = pending;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
