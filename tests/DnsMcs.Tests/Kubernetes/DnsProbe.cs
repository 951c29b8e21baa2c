using System.Net;
using DnsMcs.Dns;
using DnsMcs.Zone;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>
/// A real index and responder, asked real DNS questions: what a pod behind CoreDNS would see. Tests that
/// wait for a change poll the answers; the timeout is only a safety net, never a pass/fail threshold.
/// </summary>
internal sealed class DnsProbe
{
    public const string Zone = "svc.clusterset.local";

    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);
    private readonly DnsResponder _responder;
    private int _id;

    public DnsProbe()
    {
        Index = new ClusterSetIndex(new ZoneOptions());
        _responder = new DnsResponder(Index);
    }

    public ClusterSetIndex Index { get; }

    public static string Name(string service, string ns = "shop") => $"{service}.{ns}.{Zone}";

    public DnsMessage Ask(string name, DnsRecordType type = DnsRecordType.A)
    {
        var query = DnsMessage.CreateQuery(name, type, (ushort)Interlocked.Increment(ref _id)).ToWire();
        var buffer = new byte[65535];
        var response = _responder.Respond(query, buffer, DnsTransport.Tcp);
        Assert.True(response.Length > 0, $"the responder dropped the query for {name}");
        return DnsOracle.Decode(buffer.AsSpan(0, response.Length));
    }

    public DnsResponseCode Rcode(string name, DnsRecordType type = DnsRecordType.A) => Ask(name, type).ResponseCode;

    /// <summary>The A (or AAAA) addresses answered, sorted; empty for any negative answer.</summary>
    public string[] Addresses(string name, DnsRecordType type = DnsRecordType.A) =>
    [
        .. Ask(name, type).Answers
            .Select(r => r.Data)
            .OfType<DnsAddressData>()
            .Select(d => d.Address.ToString())
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Waits until <paramref name="name"/> answers exactly <paramref name="expected"/> (any order).</summary>
    public Task UntilAddressesAsync(string name, params string[] expected) =>
        UntilAddressesAsync(name, DnsRecordType.A, expected);

    public Task UntilAddressesAsync(string name, DnsRecordType type, params string[] expected)
    {
        var sorted = expected.Order(StringComparer.Ordinal).ToArray();
        return UntilAsync(() => Addresses(name, type).SequenceEqual(sorted), () => $"{name} {type} to answer [{string.Join(", ", sorted)}]; last answer:\n{Ask(name, type)}");
    }

    public Task UntilRcodeAsync(string name, DnsResponseCode rcode, DnsRecordType type = DnsRecordType.A) =>
        UntilAsync(() => Rcode(name, type) == rcode, () => $"{name} {type} to answer {rcode}; last answer:\n{Ask(name, type)}");

    public static async Task UntilAsync(Func<bool> condition, Func<string> what)
    {
        using var timeout = new CancellationTokenSource(SafetyNet);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for {what()}");
            }
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(condition, () => what);

    public static IPAddress Ip(string text) => IPAddress.Parse(text);
}
