using System.Buffers;
using System.Text;

namespace DnsMcs.Dns;

/// <summary>
/// Domain names in wire form (RFC 1035 §3.1): length-prefixed labels ending in the root label.
/// Conversions to and from presentation text, and the checks the query parser needs.
/// </summary>
public static class DnsName
{
    public const int MaxLength = 255;
    public const int MaxLabelLength = 63;

    /// <summary>The root name: one zero byte.</summary>
    public static ReadOnlySpan<byte> Root => [0];

    /// <summary>Encodes presentation text ("web.shop.svc.clusterset.local", a trailing dot optional, "." for the root; \. and \DDD escapes) to wire form.</summary>
    public static byte[] Encode(string text)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        if (!TryEncode(text, buffer, out var written, out var error))
        {
            throw new ArgumentException($"'{text}' is not a valid domain name: {error}", nameof(text));
        }

        return buffer[..written].ToArray();
    }

    public static bool TryEncode(ReadOnlySpan<char> text, Span<byte> destination, out int written, out string? error)
    {
        written = 0;
        error = null;
        if (text.Length == 0 || text is ".")
        {
            if (destination.Length < 1)
            {
                error = "destination too small";
                return false;
            }

            destination[0] = 0;
            written = 1;
            return true;
        }

        var pos = 0;
        var i = 0;
        while (i < text.Length)
        {
            var lengthAt = pos++;
            var labelLength = 0;
            while (i < text.Length && text[i] != '.')
            {
                int value = text[i];
                if (value == '\\')
                {
                    if (i + 1 >= text.Length)
                    {
                        error = "dangling escape";
                        return false;
                    }

                    if (char.IsAsciiDigit(text[i + 1]))
                    {
                        if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                        {
                            error = "bad \\DDD escape";
                            return false;
                        }

                        value = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                        if (value > 255)
                        {
                            error = "\\DDD escape above 255";
                            return false;
                        }

                        i += 4;
                    }
                    else
                    {
                        value = text[i + 1];
                        i += 2;
                        if (value > 0x7F)
                        {
                            error = "non-ASCII character (use IDNA/punycode)";
                            return false;
                        }
                    }
                }
                else
                {
                    i++;
                    if (value > 0x7F)
                    {
                        error = "non-ASCII character (use IDNA/punycode)";
                        return false;
                    }
                }

                if (pos >= destination.Length || pos >= MaxLength)
                {
                    error = "name longer than 255 bytes";
                    return false;
                }

                destination[pos++] = (byte)value;
                labelLength++;
            }

            if (labelLength == 0)
            {
                error = "empty label";
                return false;
            }

            if (labelLength > MaxLabelLength)
            {
                error = "label longer than 63 bytes";
                return false;
            }

            destination[lengthAt] = (byte)labelLength;
            if (i < text.Length)
            {
                i++; // the dot
            }
        }

        if (pos >= destination.Length || pos + 1 > MaxLength)
        {
            error = "name longer than 255 bytes";
            return false;
        }

        destination[pos++] = 0;
        written = pos;
        return true;
    }

    /// <summary>Presentation text of an uncompressed wire name, with a trailing dot ("." for the root).</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        if (wire.Length == 0 || wire[0] == 0)
        {
            return ".";
        }

        var builder = new StringBuilder(wire.Length + 4);
        var pos = 0;
        while (pos < wire.Length && wire[pos] != 0)
        {
            int length = wire[pos++];
            if (length > MaxLabelLength || pos + length > wire.Length)
            {
                throw new FormatException("malformed wire name");
            }

            foreach (var b in wire.Slice(pos, length))
            {
                AppendEscaped(builder, b);
            }

            builder.Append('.');
            pos += length;
        }

        return builder.ToString();
    }

    private static void AppendEscaped(StringBuilder builder, byte b)
    {
        if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
        {
            builder.Append('\\').Append((char)b);
        }
        else if (b is <= 0x20 or >= 0x7F)
        {
            builder.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append((char)b);
        }
    }

    /// <summary>Copies a wire name lowering ASCII letters; label length bytes are below 64 and never change.</summary>
    public static void ToLowerAscii(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        destination = destination[..source.Length];

        // Vectorized over ASCII; a byte above 127 (a label may hold any) stops it, is copied as it is, and it goes on.
        var done = 0;
        while (Ascii.ToLower(source[done..], destination[done..], out var lowered) != OperationStatus.Done)
        {
            done += lowered;
            destination[done] = source[done];
            done++;
        }
    }

    /// <summary>
    /// Measures an uncompressed name at <paramref name="offset"/>: returns false on a compression pointer,
    /// a reserved label type, a label past the end, or a name over 255 bytes.
    /// </summary>
    public static bool TryMeasureUncompressed(ReadOnlySpan<byte> message, int offset, out int length)
    {
        length = 0;
        var pos = offset;
        while (true)
        {
            if ((uint)pos >= (uint)message.Length)
            {
                return false;
            }

            int labelLength = message[pos];
            if (labelLength == 0)
            {
                length = pos + 1 - offset;
                return length <= MaxLength;
            }

            if (labelLength > MaxLabelLength)
            {
                return false;
            }

            pos += labelLength + 1;
            if (pos - offset >= MaxLength)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Skips a possibly compressed name at <paramref name="offset"/> and returns the offset after it in place,
    /// or -1 when it runs past the end or uses a reserved label type. Pointers are not followed.
    /// </summary>
    public static int Skip(ReadOnlySpan<byte> message, int offset)
    {
        var pos = offset;
        while (true)
        {
            if ((uint)pos >= (uint)message.Length)
            {
                return -1;
            }

            int labelLength = message[pos];
            if (labelLength == 0)
            {
                return pos + 1;
            }

            if ((labelLength & 0xC0) == 0xC0)
            {
                return pos + 2 <= message.Length ? pos + 2 : -1;
            }

            if (labelLength > MaxLabelLength)
            {
                return -1;
            }

            pos += labelLength + 1;
            if (pos - offset > MaxLength)
            {
                return -1;
            }
        }
    }

    /// <summary>Counts the labels of an uncompressed wire name (the root label not counted).</summary>
    public static int CountLabels(ReadOnlySpan<byte> wire)
    {
        var count = 0;
        var pos = 0;
        while (pos < wire.Length && wire[pos] != 0)
        {
            pos += wire[pos] + 1;
            count++;
        }

        return count;
    }
}
