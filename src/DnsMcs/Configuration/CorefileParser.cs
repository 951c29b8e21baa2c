using System.Globalization;
using System.Net;
using DnsMcs.Server;

namespace DnsMcs.Configuration;

/// <summary>
/// Reads a Corefile with one server block for our zone into a <see cref="ServeConfiguration"/>. The grammar:
/// <code>
/// file      := EOL* block EOL*
/// block     := key '{' EOL* (directive EOL+)* '}'        key := [dns://]ZONE[:PORT]
/// directive := NAME ARG* ['{' EOL* (NAME ARG* EOL+)* '}']
/// </code>
/// Directive names are CoreDNS's where the meaning is the same (bind, ttl, prometheus, health, ready, log,
/// errors, reload, timeouts) and ours otherwise (kubeconfig, manifests, member, ns_address, tcp_max_connections). Every error names the file,
/// line and column of the token at fault.
/// </summary>
internal sealed class CorefileParser
{
    private static readonly string[] DirectiveNames =
        ["bind", "ttl", "prometheus", "health", "ready", "log", "errors", "reload", "kubeconfig", "manifests", "member", "ns_address", "debug", "timeouts", "tcp_max_connections"];

    private readonly List<CorefileToken> _tokens;
    private readonly string _file;
    private readonly string _baseDirectory;
    private int _position;

    private CorefileParser(List<CorefileToken> tokens, string file, string baseDirectory)
    {
        _tokens = tokens;
        _file = file;
        _baseDirectory = baseDirectory;
    }

    public static ServeConfiguration ParseFile(string path, Func<string, string?>? environment = null)
    {
        var full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), full, Path.GetDirectoryName(full), environment) with { ConfigFile = full };
    }

    /// <param name="baseDirectory">Where relative paths point from; the Corefile's folder, else the working directory.</param>
    public static ServeConfiguration Parse(string text, string file = "Corefile", string? baseDirectory = null, Func<string, string?>? environment = null)
    {
        var tokens = CorefileTokenizer.Tokenize(text, file, environment);
        return new CorefileParser(tokens, file, baseDirectory ?? Environment.CurrentDirectory).ParseServerBlock();
    }

    private ServeConfiguration ParseServerBlock()
    {
        SkipLineEnds();
        if (AtEnd)
        {
            throw Error(new CorefileToken(CorefileTokenKind.EndOfLine, string.Empty, 1, 1),
                "no server block: expected e.g. 'clusterset.local:53 {'");
        }

        var keys = new List<CorefileToken>();
        while (!AtEnd && Peek.Kind == CorefileTokenKind.Word)
        {
            // CoreDNS allows "a.local, b.local" as well as "a.local b.local".
            var key = Next();
            foreach (var part in key.Text.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                keys.Add(key with { Text = part });
            }
        }

        if (keys.Count == 0)
        {
            throw Error(Peek, $"expected a server block key such as 'clusterset.local:53', found {Peek}");
        }

        if (AtEnd || Peek.Kind != CorefileTokenKind.OpenBrace)
        {
            throw Error(AtEnd ? keys[^1] : Peek, "expected '{' after the server block key, on the same line");
        }

        if (keys.Count > 1)
        {
            throw Error(keys[1], "several zones in one server block are not supported: DnsMcs serves one zone");
        }

        var (zone, port) = ParseKey(keys[0]);
        var open = Next();
        var builder = new Builder(this, port) { Zone = zone };

        while (true)
        {
            SkipLineEnds();
            if (AtEnd)
            {
                throw Error(open, "'{' is never closed");
            }

            var token = Next();
            if (token.Kind == CorefileTokenKind.CloseBrace)
            {
                break;
            }

            if (token.Kind == CorefileTokenKind.OpenBrace)
            {
                throw Error(token, "unexpected '{': a block must follow a directive on its line");
            }

            var arguments = ReadArguments();
            var block = !AtEnd && Peek.Kind == CorefileTokenKind.OpenBrace ? ReadBlock() : null;
            builder.Apply(token, arguments, block);
        }

        SkipLineEnds();
        if (!AtEnd)
        {
            throw Error(Peek, "only one server block is supported: DnsMcs serves one zone");
        }

        return builder.Build();
    }

    private List<CorefileToken> ReadArguments()
    {
        var arguments = new List<CorefileToken>();
        while (!AtEnd && Peek.Kind == CorefileTokenKind.Word)
        {
            arguments.Add(Next());
        }

        return arguments;
    }

    private List<(CorefileToken Name, List<CorefileToken> Arguments)> ReadBlock()
    {
        var open = Next();
        var lines = new List<(CorefileToken, List<CorefileToken>)>();
        while (true)
        {
            SkipLineEnds();
            if (AtEnd)
            {
                throw Error(open, "'{' is never closed");
            }

            var token = Next();
            if (token.Kind == CorefileTokenKind.CloseBrace)
            {
                return lines;
            }

            if (token.Kind == CorefileTokenKind.OpenBrace)
            {
                throw Error(token, "unexpected '{': blocks nest only one level");
            }

            lines.Add((token, ReadArguments()));
            if (!AtEnd && Peek.Kind == CorefileTokenKind.OpenBrace)
            {
                throw Error(Peek, "unexpected '{': blocks nest only one level");
            }
        }
    }

    private (string Zone, int Port) ParseKey(CorefileToken key)
    {
        var text = key.Text;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            if (!text.StartsWith("dns://", StringComparison.OrdinalIgnoreCase))
            {
                throw Error(key, $"'{text[..scheme]}://' servers are not supported: DnsMcs serves plain DNS (dns://)");
            }

            text = text[6..];
        }

        var port = ServeConfiguration.DefaultDnsPort;
        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is 0 or > 65535)
            {
                throw Error(key, $"'{text[(colon + 1)..]}' is not a port number (1-65535)");
            }

            text = text[..colon];
        }

        // The same zone rules as --zone: one grammar, one place.
        if (!DnsMcs.Zone.Naming.NameRules.TryNormalizeZone(text, out var zone, out var error))
        {
            throw Error(key, $"'{key.Text}': {error}");
        }

        return (zone, port);
    }

    private string ResolvePath(string path) => Path.GetFullPath(Path.Combine(_baseDirectory, path));

    private bool AtEnd => _position >= _tokens.Count;

    private CorefileToken Peek => _tokens[_position];

    private CorefileToken Next() => _tokens[_position++];

    private void SkipLineEnds()
    {
        while (!AtEnd && Peek.Kind == CorefileTokenKind.EndOfLine)
        {
            _position++;
        }
    }

    private ConfigurationException Error(CorefileToken token, string reason) => new(_file, token.Line, token.Column, reason);

    /// <summary>Collects directives into the configuration, checking each directive's arguments and duplicates.</summary>
    private sealed class Builder(CorefileParser parser, int port)
    {
        private const uint MaxTtl = DnsMcs.Zone.ZoneOptions.MaxTtl;

        private readonly Dictionary<string, CorefileToken> _seen = new(StringComparer.Ordinal);
        private readonly List<SourceConfiguration> _sources = [];
        private IReadOnlyList<IPAddress>? _bind;
        private ServeConfiguration _configuration = new();

        public required string Zone { get; init; }

        public void Apply(CorefileToken name, List<CorefileToken> args, List<(CorefileToken Name, List<CorefileToken> Arguments)>? block)
        {
            if (!DirectiveNames.Contains(name.Text, StringComparer.Ordinal))
            {
                var hint = DirectiveNames.FirstOrDefault(d => string.Equals(d, name.Text, StringComparison.OrdinalIgnoreCase));
                throw parser.Error(name, hint is null
                    ? $"unknown directive '{name.Text}' (known: {string.Join(", ", DirectiveNames)})"
                    : $"unknown directive '{name.Text}'; did you mean '{hint}'?");
            }

            if (name.Text != "member" && !_seen.TryAdd(name.Text, name))
            {
                var first = _seen[name.Text];
                throw parser.Error(name, $"duplicate directive '{name.Text}' (first at {first.Line}:{first.Column})");
            }

            if (block is not null && name.Text is not ("health" or "timeouts"))
            {
                throw parser.Error(name, $"'{name.Text}' takes no block");
            }

            switch (name.Text)
            {
                case "bind":
                    RequireCount(name, args, 1, int.MaxValue, "bind ADDRESS...");
                    _bind = [.. args.Select(a => IPAddress.TryParse(a.Text, out var ip)
                        ? ip
                        : throw parser.Error(a, $"bind: '{a.Text}' is not an IP address (interface names are not supported)"))];
                    break;
                case "ttl":
                    RequireCount(name, args, 1, 1, "ttl SECONDS");
                    if (!uint.TryParse(args[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl > MaxTtl)
                    {
                        throw parser.Error(args[0], $"ttl: '{args[0].Text}' is not a number of seconds from 0 to {MaxTtl}");
                    }

                    _configuration = _configuration with { Ttl = ttl };
                    break;
                case "prometheus":
                    RequireCount(name, args, 0, 1, "prometheus [ADDRESS]");
                    _configuration = _configuration with { Metrics = Address(args, ServeConfiguration.DefaultMetricsPort) };
                    break;
                case "ready":
                    RequireCount(name, args, 0, 1, "ready [ADDRESS]");
                    _configuration = _configuration with { Ready = Address(args, ServeConfiguration.DefaultReadyPort) };
                    break;
                case "health":
                    RequireCount(name, args, 0, 1, "health [ADDRESS] { lameduck DURATION }");
                    _configuration = _configuration with
                    {
                        Health = Address(args, ServeConfiguration.DefaultHealthPort),
                        Lameduck = Lameduck(block ?? []),
                    };
                    break;
                case "timeouts":
                    RequireCount(name, args, 0, 0, "timeouts { idle DURATION }");
                    _configuration = _configuration with { TcpIdleTimeout = IdleTimeout(name, block ?? []) };
                    break;
                case "tcp_max_connections":
                    RequireCount(name, args, 1, 1, "tcp_max_connections COUNT");
                    if (!int.TryParse(args[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var connections)
                        || connections < 1 || connections > ServerOptions.MaxTcpConnectionsLimit)
                    {
                        throw parser.Error(args[0], $"tcp_max_connections: '{args[0].Text}' is not a count from 1 to {ServerOptions.MaxTcpConnectionsLimit}");
                    }

                    _configuration = _configuration with { MaxTcpConnections = connections };
                    break;
                case "log":
                    RequireCount(name, args, 0, 0, "log");
                    _configuration = _configuration with { LogQueries = true };
                    break;
                case "errors":
                    RequireCount(name, args, 0, 0, "errors");
                    _configuration = _configuration with { LogErrors = true };
                    break;
                case "debug":
                    RequireCount(name, args, 0, 0, "debug");
                    _configuration = _configuration with { Debug = true };
                    break;
                case "reload":
                    RequireCount(name, args, 0, 2, "reload [INTERVAL [JITTER]]");
                    Reload(args);
                    break;
                case "kubeconfig":
                    RequireCount(name, args, 0, 2, "kubeconfig [PATH [CONTEXT]]");
                    _sources.Add(new SourceConfiguration(SourceKind.Kubernetes, SourceConfiguration.KubernetesName,
                        args.Count > 0 ? parser.ResolvePath(args[0].Text) : null, args.Count > 1 ? args[1].Text : null));
                    break;
                case "manifests":
                    RequireCount(name, args, 1, 1, "manifests DIRECTORY");
                    _sources.Add(new SourceConfiguration(SourceKind.Manifests, SourceConfiguration.ManifestsName, parser.ResolvePath(args[0].Text)));
                    break;
                case "member":
                    RequireCount(name, args, 2, 3, "member NAME KUBECONFIG [CONTEXT]");
                    Member(args);
                    break;
                case "ns_address":
                    RequireCount(name, args, 1, int.MaxValue, "ns_address IP...");
                    _configuration = _configuration with
                    {
                        NameServerAddresses = [.. args.Select(a => IPAddress.TryParse(a.Text, out var ip)
                            ? ip
                            : throw parser.Error(a, $"ns_address: '{a.Text}' is not an IP address"))],
                    };
                    break;
            }

            if (name.Text is "kubeconfig" or "member" && _seen.ContainsKey("kubeconfig") && _sources.Any(s => s.Kind == SourceKind.Member))
            {
                throw parser.Error(name, "'kubeconfig' (distributed mode) and 'member' (centralized mode) cannot be combined");
            }
        }

        public ServeConfiguration Build() => _configuration with
        {
            Zone = Zone,
            Listen = _bind is null
                ? ServeConfiguration.AllAddresses(port)
                : [.. _bind.Select(ip => new IPEndPoint(ip, port))],
            Sources = _sources,
        };

        private void RequireCount(CorefileToken name, List<CorefileToken> args, int min, int max, string usage)
        {
            if (args.Count < min)
            {
                throw parser.Error(name, $"{name.Text}: missing argument; usage: {usage}");
            }

            if (args.Count > max)
            {
                throw parser.Error(args[max], $"{name.Text}: unexpected argument '{args[max].Text}'; usage: {usage}");
            }
        }

        private IPEndPoint Address(List<CorefileToken> args, int defaultPort)
        {
            if (args.Count == 0)
            {
                return new IPEndPoint(IPAddress.Any, defaultPort);
            }

            return ListenAddress.TryParse(args[0].Text, null, out var endpoint, out var error)
                ? endpoint
                : throw parser.Error(args[0], error);
        }

        private TimeSpan Lameduck(List<(CorefileToken Name, List<CorefileToken> Arguments)> block) =>
            DurationProperty(block, "health", "lameduck", TimeSpan.Zero, d => d > TimeSpan.Zero, "a positive duration such as 5s");

        /// <summary>CoreDNS's <c>timeouts</c> block; of its read, write and idle, only idle means something here (TCP keep-open).</summary>
        private TimeSpan IdleTimeout(CorefileToken directive, List<(CorefileToken Name, List<CorefileToken> Arguments)> block)
        {
            if (block.Count == 0)
            {
                throw parser.Error(directive, "timeouts: expected a block; usage: timeouts { idle DURATION }");
            }

            return DurationProperty(
                block, "timeouts", "idle", ServerOptions.DefaultTcpIdleTimeout,
                d => d >= ServerOptions.MinTcpIdleTimeout && d <= ServerOptions.MaxTcpIdleTimeout, "a duration from 1s to 1h");
        }

        /// <summary>A block whose one known property takes one duration, given at most once.</summary>
        private TimeSpan DurationProperty(
            List<(CorefileToken Name, List<CorefileToken> Arguments)> block, string directive, string property, TimeSpan fallback, Func<TimeSpan, bool> valid, string expected)
        {
            var value = fallback;
            CorefileToken? seen = null;
            foreach (var (name, args) in block)
            {
                if (name.Text != property)
                {
                    throw parser.Error(name, $"{directive}: unknown property '{name.Text}' (known: {property})");
                }

                if (seen is not null)
                {
                    throw parser.Error(name, $"duplicate property '{property}' (first at {seen.Value.Line}:{seen.Value.Column})");
                }

                seen = name;
                RequireCount(name, args, 1, 1, $"{property} DURATION");
                if (!GoDuration.TryParse(args[0].Text, out value) || !valid(value))
                {
                    throw parser.Error(args[0], $"{property}: '{args[0].Text}' is not {expected}");
                }
            }

            return value;
        }

        private void Reload(List<CorefileToken> args)
        {
            // CoreDNS's defaults and limits: 30s interval, 15s jitter, interval ≥ 2s, jitter ≥ 1s and ≤ interval/2.
            var interval = TimeSpan.FromSeconds(30);
            var jitter = TimeSpan.FromSeconds(15);
            if (args.Count > 0 && (!GoDuration.TryParse(args[0].Text, out interval) || interval < TimeSpan.FromSeconds(2)))
            {
                throw parser.Error(args[0], $"reload: interval '{args[0].Text}' must be a duration of at least 2s");
            }

            if (args.Count > 1)
            {
                if (!GoDuration.TryParse(args[1].Text, out jitter) || jitter < TimeSpan.FromSeconds(1) || jitter > interval / 2)
                {
                    throw parser.Error(args[1], $"reload: jitter '{args[1].Text}' must be a duration from 1s to half the interval");
                }
            }
            else if (jitter > interval / 2)
            {
                jitter = interval / 2;
            }

            _configuration = _configuration with { ReloadInterval = interval, ReloadJitter = jitter };
        }

        private void Member(List<CorefileToken> args)
        {
            var name = args[0];

            // The zone's rule for cluster ids, as --member and the controller apply it.
            if (DnsMcs.Zone.Naming.NameRules.ClusterIdError(name.Text) is { } error)
            {
                throw parser.Error(name, $"member: '{name.Text}' is not a cluster id: it {error}");
            }

            if (_sources.Any(s => s.Kind == SourceKind.Member && s.Name == name.Text))
            {
                throw parser.Error(name, $"member: duplicate cluster '{name.Text}'");
            }

            _sources.Add(new SourceConfiguration(SourceKind.Member, name.Text, parser.ResolvePath(args[1].Text), args.Count > 2 ? args[2].Text : null));
        }
    }
}
