using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace DnsMcs.Controller.Tests.Support;

/// <summary>Controller logs into the test's output, so a failing convergence shows what the controller did.</summary>
internal sealed class TestLoggerFactory(ITestOutputHelper output) : ILoggerFactory
{
    /// <summary>Every warning and error logged, as "EventId message", for tests that count what was said.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new();

    public ILogger CreateLogger(string categoryName) => new OutputLogger(output, categoryName, Warnings);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class OutputLogger(ITestOutputHelper output, string category, System.Collections.Concurrent.ConcurrentQueue<string> warnings) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                warnings.Enqueue($"{eventId.Id} {formatter(state, exception)}");
            }

            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished: nobody is listening any more.
            }
        }
    }
}
