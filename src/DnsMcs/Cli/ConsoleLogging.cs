using DnsMcs.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DnsMcs.Cli;

/// <summary>The console logging every dnsmcs command uses: one line per message (or JSON), UTC times, warnings to stderr.</summary>
internal static class ConsoleLogging
{
    public static void Configure(ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(options =>
            {
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                options.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.UseUtcTimestamp = true;
            });
        }

        logging.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Warning);
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);

        // The hosts' own lines (content root, environment, Kestrel's bind stack) say nothing an operator needs;
        // failures are reported by us in one line with the reason.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }
}
