using System.Diagnostics;

namespace DnsMcs.Tests.Metrics;

/// <summary>Runs a command-line tool that may not be installed; tests that need one report its absence and return.</summary>
internal static class ExternalTool
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static (int ExitCode, string Output, string Error) Run(string path, string arguments, string? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(path, arguments)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
