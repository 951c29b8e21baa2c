using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using DnsMcs.Zone.Explain;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources;

/// <summary>
/// Remembers the objects the sources refused, so <c>explain</c> and /debug/explain can say "this ServiceImport was
/// rejected: spec.ips[0] is not an IP address" instead of only "unknown service". The sources already report every
/// refusal as a log event with a stable id and named fields; this provider reads those events, so the sources need no
/// second reporting path:
///   3001 invalid manifest and 3009 never-valid manifest (a <see cref="ManifestError"/>), 3004 skipped manifest object, 3008 file fixed (forget its errors);
///   3100 invalid object (distributed mode); 3209 invalid ServiceExport, 3210 invalid object, 3211 invalid merge (centralized);
///   3102, 3104, 3201, 3204: the last reason a source could not reach its API server (<see cref="LastFailure"/>).
/// Registered with a filter of its own (<see cref="AddTo"/>), so --no-errors silences the console, not this record.
/// </summary>
internal sealed partial class RejectionRecorder : ILoggerProvider, IRejectedObjects
{
    /// <summary>At most this many rejections are kept; the oldest go first (a flood of bad objects costs bounded memory).</summary>
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string Kind, string? Namespace, string Name, string Where), Entry> _entries = new();
    private long _sequence;
    private volatile string? _lastFailure;

    /// <summary>The last reason a source gave for not reaching its API server, or null.</summary>
    public string? LastFailure => _lastFailure;

    public static void AddTo(ILoggingBuilder logging, RejectionRecorder recorder)
    {
        logging.AddProvider(recorder);
        logging.AddFilter<RejectionRecorder>(null, LogLevel.None);
        logging.AddFilter<RejectionRecorder>("DnsMcs.Sources", LogLevel.Debug);
    }

    /// <summary>
    /// What may explain a missing or partial service: its ServiceImport (ServiceExport, Service in centralized mode), any
    /// EndpointSlice of its namespace (a rejected slice's service label is not known), its Namespace, the ClusterProperty,
    /// and manifest files that failed as a whole.
    /// </summary>
    public IReadOnlyList<RejectedObject> For(string @namespace, string service) =>
        [.. Ordered().Where(r => r.Kind switch
        {
            "ServiceImport" or "ServiceExport" or "Service" => r.Namespace == @namespace && r.Name == service,
            "EndpointSlice" => r.Namespace == @namespace,
            "Namespace" => r.Name == @namespace,
            "ClusterProperty" or "file" => true,
            _ => false,
        })];

    public IReadOnlyList<RejectedObject> All() => [.. Ordered()];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this);

    public void Dispose()
    {
    }

    private IEnumerable<RejectedObject> Ordered() => _entries.Values.OrderBy(e => e.Sequence).Select(e => e.Rejected);

    private void Record(string kind, string? @namespace, string name, string where, string message)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        _entries[(kind, @namespace, name, where)] = new Entry(new RejectedObject(kind, @namespace, name, where, message), sequence);
        if (_entries.Count > Capacity && _entries.MinBy(e => e.Value.Sequence) is { Key: var oldest })
        {
            _entries.TryRemove(oldest, out _);
        }
    }

    private void Forget(Func<RejectedObject, bool> which)
    {
        foreach (var (key, entry) in _entries)
        {
            if (which(entry.Rejected))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private void OnEvent(int id, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        string? Field(string name) => fields.FirstOrDefault(f => f.Key == name).Value?.ToString();

        switch (id)
        {
            case 3001 or 3009 when fields.FirstOrDefault(f => f.Key == "Error").Value is ManifestError error:
                var (kind, ns, name) = ParseLabel(error.Object);
                Record(kind, ns, name, ManifestWhere(error.Path, error.Line), error.Message);
                break;
            case 3004 when Skipped().Match(Field("Ignored") ?? string.Empty) is { Success: true } skipped:
                var (skippedKind, skippedNs, skippedName) = ParseLabel(skipped.Groups["label"].Value);
                Record(skippedKind, skippedNs, skippedName, ManifestWhere(skipped.Groups["path"].Value, long.Parse(skipped.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture)),
                    "skipped: " + skipped.Groups["reason"].Value);
                break;
            case 3008 when Field("Path") is { } path:
                Forget(r => r.Source.Contains(path + ":", StringComparison.Ordinal));
                break;
            case 3100:
                RecordKey(Field("Kind"), Field("Key"), "the Kubernetes source", Field("Reason"), Field("ResourceVersion"));
                break;
            case 3210:
                RecordKey(Field("Kind"), Field("Key"), $"member {Field("Member")}", Field("Reason"), Field("ResourceVersion"));
                break;
            case 3209:
                Record("ServiceExport", Field("Namespace"), Field("Name") ?? string.Empty, $"member {Field("Member")}", $"not exported: {Field("Reason")}: {Field("Message")}");
                break;
            case 3211:
                Record("ServiceImport", Field("Namespace"), Field("Name") ?? string.Empty, "the centralized source (merged from the members' exports)", Field("Reason") ?? string.Empty);
                break;
            case 3102 or 3104 or 3201 or 3204:
                _lastFailure = Field("Reason");
                break;
        }
    }

    private void RecordKey(string? kind, string? key, string where, string? reason, string? resourceVersion)
    {
        var slash = key?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var ns = slash < 0 ? null : key![..slash];
        var name = slash < 0 ? key ?? string.Empty : key![(slash + 1)..];
        Record(kind ?? "object", ns, name, resourceVersion is null ? where : $"{where} (resourceVersion {resourceVersion})", reason ?? string.Empty);
    }

    private static string ManifestWhere(string path, long line) => $"the manifest source at {path}:{line}";

    /// <summary>"ServiceImport shop/web", "Namespace shop", "ServiceImport" (no name) or null (the file as a whole).</summary>
    private static (string Kind, string? Namespace, string Name) ParseLabel(string? label)
    {
        if (string.IsNullOrEmpty(label))
        {
            return ("file", null, string.Empty);
        }

        var space = label.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return (label, null, string.Empty);
        }

        var kind = label[..space];
        var rest = label[(space + 1)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (kind, null, rest) : (kind, rest[..slash], rest[(slash + 1)..]);
    }

    [GeneratedRegex(@"^(?<path>.*):(?<line>\d+): (?<label>[^:]+): (?<reason>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Skipped();

    private sealed record Entry(RejectedObject Rejected, long Sequence);

    private sealed class RecordingLogger(RejectionRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                recorder.OnEvent(eventId.Id, fields);
            }
        }
    }
}
