namespace DnsMcs.Dns.Tests;

public sealed class ResponseReaderTests
{
    // Header: id 0001, flags 8400 (QR AA, NOERROR), 1 question, 1 answer, 0 authority, 0 additional.
    private const string Header = "0001 8400 0001 0001 0000 0000";

    // Question: a.b. IN A.
    private const string Question = "0161 0162 00 0001 0001";

    public static TheoryData<string, string> Answers => new()
    {
        // answer (owner compressed to the question's name at offset 12), expected zone-file line
        { "C00C 0001 0001 0000001E 0004 0A000001", "a.b. 30 IN A 10.0.0.1" },
        { "C00C 001C 0001 0000001E 0010 20010DB8000000000000000000000001", "a.b. 30 IN AAAA 2001:db8::1" },
        { "C00C 0021 0001 00000005 000A 0000 0064 0050 0178 C00C", "a.b. 5 IN SRV 0 100 80 x.a.b." },
        { "C00C 0010 0001 00000005 0004 03 616263", "a.b. 5 IN TXT \"abc\"" },
        { "C00C 0063 0001 00000005 0002 ABCD", "a.b. 5 IN TYPE99 \\# 2 ABCD" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Read_OneAnswer_PresentationForm(string answer, string expected)
    {
        var response = ResponseReader.Read(Wire.Hex($"{Header} {Question} {answer}"));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(expected, Assert.Single(response.Answers).ToString());
        Assert.Empty(response.Authorities);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "shorter than a header", "0001 8400 0000" },
        { "record past the end", $"{Header} {Question} C00C 0001 0001 0000001E 0004 0A00" },
        { "pointer loop", $"{Header} {Question} C015 0001 0001 0000001E 0000" },
        { "name past the end", $"{Header} {Question} 05 6162" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_Malformed_FormatException(string what, string hex)
    {
        var error = Assert.Throws<FormatException>(() => ResponseReader.Read(Wire.Hex(hex)));

        Assert.False(string.IsNullOrEmpty(error.Message), what);
    }
}
