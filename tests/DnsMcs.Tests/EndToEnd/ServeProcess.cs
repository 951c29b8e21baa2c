using DnsMcs.Tests.Integration;

namespace DnsMcs.Tests.EndToEnd;

/// <summary><c>dnsmcs serve</c> on a free loopback port (metrics, health and ready off), answering and synced.</summary>
internal static class ServeProcess
{
    public const string Zone = "clusterset.local";

    private const int StartAttempts = 3;

    /// <summary>
    /// Starts <c>dnsmcs serve --listen 127.0.0.1:PORT</c> plus <paramref name="arguments"/> and waits until it answers
    /// NXDOMAIN for a name that cannot exist, which it does only once every source has synced. Retries on another port
    /// when the free one was taken meanwhile (exit code 2).
    /// </summary>
    public static async Task<(DnsMcsProcess Process, int Port)> StartAsync(params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = DnsMcsProcess.FreePort();
            var process = DnsMcsProcess.Start(["serve", "--listen", DnsMcsProcess.Listen(port), .. arguments]);
            try
            {
                await process.WaitUntilAnsweringAsync(port, Zone);
                return (process, port);
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && process.HasExited && process.ExitCode == 2)
            {
                await process.DisposeAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Polls dig until the A answer for <paramref name="name"/> is exactly <paramref name="addresses"/> (any order).</summary>
    public static async Task<DigResult> ResolvesToAsync(int port, DnsMcsProcess process, string name, params string[] addresses)
    {
        DigResult? last = null;
        await Eventually.TrueAsync(
            async () =>
            {
                last = await Dig.QueryAsync(port, name, "A");
                return last.Status == "NOERROR" && Addresses(last).Order(StringComparer.Ordinal).SequenceEqual(addresses.Order(StringComparer.Ordinal));
            },
            () => $"{name} A -> [{string.Join(", ", addresses)}]; last answer:\n{last}\ndnsmcs output:\n{process.Output}");
        return last!;
    }

    /// <summary>Polls dig until <paramref name="name"/> is NXDOMAIN.</summary>
    public static async Task NameErrorAsync(int port, DnsMcsProcess process, string name)
    {
        DigResult? last = null;
        await Eventually.TrueAsync(
            async () =>
            {
                last = await Dig.QueryAsync(port, name, "A");
                return last.Status == "NXDOMAIN";
            },
            () => $"{name} NXDOMAIN; last answer:\n{last}\ndnsmcs output:\n{process.Output}");
    }

    /// <summary>The addresses of the A records in the answer section (zone-file lines: name ttl class type data).</summary>
    public static IEnumerable<string> Addresses(DigResult result) =>
        result.Answer.Select(line => line.Split(' ')).Where(fields => fields.Length == 5 && fields[3] == "A").Select(fields => fields[4]);
}
