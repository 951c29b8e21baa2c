using System.CommandLine;

namespace DnsMcs.Tests.Cli;

/// <summary>Runs a command line through the parser and the command's action, with the runner replaced by a recorder.</summary>
internal static class CommandParsing
{
    /// <summary>The parse errors, or none and the value the action handed to its runner.</summary>
    public static async Task<(IReadOnlyList<string> Errors, T? Bound)> BindAsync<T>(Func<Func<T, CancellationToken, Task<int>>, Command> create, string[] arguments)
        where T : class
    {
        T? bound = null;
        var command = create((settings, _) =>
        {
            bound = settings;
            return Task.FromResult(0);
        });
        var parseResult = new RootCommand { command }.Parse(arguments);
        if (parseResult.Errors.Count > 0)
        {
            return ([.. parseResult.Errors.Select(error => error.Message)], null);
        }

        var exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
        Assert.Equal(0, exitCode);
        Assert.NotNull(bound);
        return ([], bound);
    }
}
