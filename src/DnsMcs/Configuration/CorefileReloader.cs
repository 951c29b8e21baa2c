using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Configuration;

/// <summary>
/// CoreDNS's <c>reload</c>: every interval (plus random jitter, so replicas sharing a ConfigMap do not reload
/// together) hash the Corefile; when the hash changes, parse it and hand the new configuration to
/// <c>apply</c>. A file that no longer parses is logged and the running configuration is kept — a typo in a
/// ConfigMap must never take DNS down. Applying without dropping queries is the caller's part: swap what
/// changed (TTL, sources, log flags) in place, and rebind listeners only when their addresses changed.
/// </summary>
internal sealed partial class CorefileReloader
{
    private readonly string _path;
    private readonly Func<ServeConfiguration, CancellationToken, Task> _apply;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private byte[] _hash;

    public CorefileReloader(string path, Func<ServeConfiguration, CancellationToken, Task> apply, ILogger logger, TimeProvider? time = null)
    {
        _path = path;
        _apply = apply;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _hash = HashFile();
    }

    public async Task RunAsync(TimeSpan interval, TimeSpan jitter, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = interval + TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * jitter.Ticks));
            try
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await CheckAsync(cancellationToken);
        }
    }

    /// <summary>One check: returns the new configuration when the file changed and parsed, else null.</summary>
    public async Task<ServeConfiguration?> CheckAsync(CancellationToken cancellationToken)
    {
        byte[] hash;
        try
        {
            hash = HashFile();
        }
        catch (IOException exception)
        {
            LogUnreadable(_logger, _path, exception.Message);
            return null;
        }

        if (hash.AsSpan().SequenceEqual(_hash))
        {
            return null;
        }

        // Remember the hash even when parsing fails, so a broken file is reported once, not every interval.
        _hash = hash;
        ServeConfiguration configuration;
        try
        {
            configuration = CorefileParser.ParseFile(_path);
        }
        catch (ConfigurationException exception)
        {
            LogRejected(_logger, exception.Message);
            return null;
        }

        LogReloading(_logger, _path);
        await _apply(configuration, cancellationToken);
        return configuration;
    }

    private byte[] HashFile()
    {
        using var stream = File.OpenRead(_path);
        return SHA256.HashData(stream);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Corefile {Path} changed; reloading")]
    private static partial void LogReloading(ILogger logger, string path);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Corefile change rejected, keeping the running configuration: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Corefile {Path} could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
