using Microsoft.Extensions.Logging;

namespace DnsMcs.Tests.Kubernetes;

/// <summary>A logger factory that keeps every entry (level, event id, text), for tests that a thing was reported.</summary>
internal sealed class RecordingLoggers : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, int EventId, string Message)> _entries = [];

    public RecordingLoggers()
    {
        Factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(this));
    }

    public ILoggerFactory Factory { get; }

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public IEnumerable<string> WithEventId(int eventId) => Entries.Where(e => e.EventId == eventId).Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() => Factory.Dispose();

    private sealed class Logger(RecordingLoggers owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lock)
            {
                owner._entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
