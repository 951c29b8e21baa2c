using System.CommandLine;

namespace DnsMcs.Cli;

/// <summary>
/// The flags <c>controller</c> and <c>probe</c> share about their process rather than their work, in the order <c>--help</c>
/// lists them after the command's own: --log-format, --health, --ready and (controller) --metrics.
/// </summary>
internal sealed class HostFlags(bool metrics)
{
    public Option<Configuration.LogFormat?> LogFormat { get; } = CommandOptions.LogFormat();

    public Option<CommandOptions.HttpFlag> Health { get; } = CommandOptions.HttpEndpoint("--health", "Serve /health (200 while the process runs)", 8080);

    public Option<CommandOptions.HttpFlag> Ready { get; } = CommandOptions.HttpEndpoint("--ready", "Serve /ready (200 once running, 503 when starting or stopping)", 8181);

    public Option<CommandOptions.HttpFlag>? Metrics { get; } = metrics
        ? CommandOptions.HttpEndpoint("--metrics", "Serve Prometheus metrics (dnsmcs_controller_*) at /metrics", 9153)
        : null;

    public IEnumerable<Option> InHelpOrder => Metrics is null ? [LogFormat, Health, Ready] : [LogFormat, Health, Ready, Metrics];

    public HostSettings Read(ParseResult parseResult) => new(
        parseResult.GetValue(LogFormat) ?? Configuration.LogFormat.Text,
        parseResult.GetValue(Health).Endpoint,
        parseResult.GetValue(Ready).Endpoint,
        Metrics is null ? null : parseResult.GetValue(Metrics).Endpoint);
}
