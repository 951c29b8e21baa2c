using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace DnsMcs.Tests.Integration;

/// <summary>Runs the real <c>dig</c> (bind9-dnsutils) against a server and parses what it prints.</summary>
internal static class Dig
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>dig @SERVER -p PORT NAME TYPE +norec</c> plus <paramref name="options"/>. Short retry settings so a dropped
    /// datagram costs a second, not fifteen; <c>+nocookie</c> keeps the OPT record the client's own.
    /// </summary>
    public static async Task<DigResult> QueryAsync(int port, string name, string type, params string[] options)
    {
        var arguments = new List<string> { "@127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), name, type, "+norec", "+time=2", "+tries=3", "+nocookie" };
        arguments.AddRange(options);
        var output = await RunAsync(arguments);
        return DigResult.Parse(output);
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dig")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("dig did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "The integration tests query the server with the real `dig`, which is not installed. "
                + "Install it with `sudo apt-get install -y bind9-dnsutils` (Debian/Ubuntu; .ci/run does this).",
                e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Patience);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return $"{await stdout}\n{await stderr}";
        }
    }
}
