namespace DnsMcs.Dns.Tests;

/// <summary>Hand-made packets: hex with optional spaces, and header bytes.</summary>
internal static class Wire
{
    public const string QuestionA = "01 61 00 0001 0001";
    public const string Opt = "00 0029 1000 00000000 0000";

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static byte[] Packet(ushort flags, ushort qd, ushort an, ushort ns, ushort ar, params string[] parts)
    {
        var header = new byte[DnsHeader.Size];
        DnsHeader.Write(header, 0x1234, flags, qd, an, ns, ar);
        return [.. header, .. parts.SelectMany(Hex)];
    }

    /// <summary>A record owned by the question name (pointer to offset 12), class IN, TTL 5.</summary>
    public static string Answer(string type, string rdLength, string rdata) => $"C00C {type} 0001 00000005 {rdLength} {rdata}";

    public static string Label(int length) => length.ToString("X2") + new string('6', 2 * length).Replace("66", "61", StringComparison.Ordinal);
}
