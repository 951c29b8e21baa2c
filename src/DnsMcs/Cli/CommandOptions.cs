using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Text;
using DnsMcs.Configuration;

namespace DnsMcs.Cli;

/// <summary>Option shapes the commands share: Go durations, bounded counts, HTTP endpoints, addresses, the Corefile, the log format.</summary>
internal static class CommandOptions
{
    /// <summary>Adds <paramref name="inHelpOrder"/> to the command, so <c>--help</c> lists them in that order.</summary>
    public static Command WithOptions(this Command command, IEnumerable<Option> inHelpOrder)
    {
        foreach (var option in inHelpOrder)
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>
    /// A duration written as Go and CoreDNS write them (<c>30s</c>, <c>1m30s</c>), at least <paramref name="min"/>.
    /// Absent is null: the caller applies the default, which the description states in the same notation.
    /// </summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan min) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result => ParseDuration(result, name, min),
    };

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Count(string name, string description, int defaultValue, int min, int max, string helpName = "COUNT") => new(name)
    {
        Description = $"{description} ({min}-{max})",
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = LastToken(result);
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} must be between {min} and {max}; '{text}' is not.");
            return defaultValue;
        },
    };

    /// <summary>An HTTP endpoint (/health, /ready, /metrics) at ADDR:PORT, or off; off unless given.</summary>
    public static Option<HttpFlag> HttpEndpoint(string name, string what, int conventionalPort) =>
        HttpEndpoint(name, $"{what} at ADDR:PORT (e.g. :{conventionalPort}), or off. Default: off.");

    /// <summary>An HTTP endpoint at ADDR:PORT, or off; its description says what it is when not given.</summary>
    public static Option<HttpFlag> HttpEndpoint(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ADDR:PORT|off",
        CustomParser = result =>
        {
            var text = LastToken(result);
            if (text is "off" or "none")
            {
                return HttpFlag.Off;
            }

            if (ListenAddress.TryParse(text, defaultPort: null, out var endpoint, out var error))
            {
                return new HttpFlag(endpoint);
            }

            result.AddError($"{name} {error}");
            return HttpFlag.Off;
        },
    };

    /// <summary>
    /// The value of an HTTP endpoint flag: where it listens, null for off. A struct, not a nullable IPEndPoint: a parser's
    /// null result is taken by System.CommandLine as "not converted" and fails with an InvalidCastException.
    /// </summary>
    public readonly record struct HttpFlag(IPEndPoint? Endpoint)
    {
        public static HttpFlag Off => default;
    }

    /// <summary>A Corefile-syntax settings file that must exist.</summary>
    public static Option<FileInfo> ConfigFile(string description)
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = description, HelpName = "FILE" };
        config.AcceptExistingOnly();
        return config;
    }

    /// <summary>IP addresses, one per use of the flag.</summary>
    public static Option<IPAddress[]> Addresses(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "IP",
        CustomParser = result =>
        {
            var addresses = new List<IPAddress>(result.Tokens.Count);
            foreach (var token in result.Tokens)
            {
                if (IPAddress.TryParse(token.Value, out var address))
                {
                    addresses.Add(address);
                }
                else
                {
                    result.AddError($"{name}: '{token.Value}' is not an IP address");
                }
            }

            return [.. addresses];
        },
    };

    public static Option<LogFormat?> LogFormat() => Choice("--log-format", "Log lines as text or as one JSON object each.", Configuration.LogFormat.Text);

    /// <summary>An enum option written in lower case, whose error lists the accepted words.</summary>
    public static Option<T?> Choice<T>(string name, string description, T defaultValue)
        where T : struct, Enum
    {
        var words = Enum.GetNames<T>().Select(word => word.ToLowerInvariant()).ToArray();
        return new Option<T?>(name)
        {
            Description = $"{description} Default: {defaultValue.ToString().ToLowerInvariant()}.",
            HelpName = string.Join('|', words),
            CustomParser = result =>
            {
                var text = LastToken(result);
                if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && words.Contains(text.ToLowerInvariant()))
                {
                    return value;
                }

                result.AddError($"{name}: '{text}' is not one of {string.Join(", ", words)}.");
                return defaultValue;
            },
        };
    }

    // Checks go in the parser, not in validators: a validator asking for a value that failed to parse throws.
    private static TimeSpan? ParseDuration(ArgumentResult result, string name, TimeSpan min)
    {
        var text = LastToken(result);
        if (!GoDuration.TryParse(text, out var duration))
        {
            result.AddError($"{name}: '{text}' is not a duration (write it as 30s, 5m or 1m30s).");
            return null;
        }

        if (duration < min)
        {
            result.AddError($"{name} must be at least {Format(min)}.");
            return null;
        }

        return duration;
    }

    private static string LastToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    /// <summary>
    /// The value of <paramref name="option"/> for a command-level validator, or false when the option itself failed
    /// to parse (its own error is already reported, and System.CommandLine throws when asked for such a value).
    /// </summary>
    public static bool TryGetValue<T>(CommandResult result, Option<T> option, out T? value)
    {
        try
        {
            value = result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>A duration as the flags take it: 10s, 1m30s, 250ms.</summary>
    public static string Format(TimeSpan value)
    {
        if (value.TotalSeconds < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###}ms");
        }

        var text = new StringBuilder();
        if (value.Hours + (value.Days * 24) > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Hours + (value.Days * 24)}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        if (value.Seconds > 0 || value.Milliseconds > 0 || text.Length == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Seconds + (value.Milliseconds / 1000.0):0.###}s");
        }

        return text.ToString();
    }
}
