using System.Diagnostics;
using System.Text.Json;

namespace DnsMcs.Tests.Integration;

/// <summary><c>dnsmcs explain …</c> run as a real process to its end: exit code, stdout (the explanation) and stderr apart.</summary>
internal sealed record ExplainRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<ExplainRun> RunAsync(params string[] arguments)
    {
        var start = DnsMcsProcess.StartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.ArgumentList.Add("explain");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(DnsMcsProcess.Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ExplainRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The JSON explanation; fails with both streams when stdout is not one JSON object.</summary>
    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"explain did not print JSON ({e.Message}); exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}", e);
        }
    }

    /// <summary>A section's records as dig prints them (single spaces, the SOA serial as <see cref="DigResult.Serial"/>).</summary>
    public static List<string> Records(JsonElement explanation, string section) =>
        [.. explanation.GetProperty(section).EnumerateArray().Select(r => WithoutSerial(r.GetProperty("record").GetString()!))];

    public static string WithoutSerial(string record)
    {
        var fields = record.Split(' ');
        if (fields.Length > 6 && fields[3] == "SOA")
        {
            fields[6] = DigResult.Serial;
        }

        return string.Join(' ', fields);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
