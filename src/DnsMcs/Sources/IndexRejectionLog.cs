using DnsMcs.Zone;
using DnsMcs.Zone.Faults;
using Microsoft.Extensions.Logging;

namespace DnsMcs.Sources;

/// <summary>
/// One warning per fault the index finds in a service (ClusterSetIndex.Rejected): which object, which field, what
/// was left out. Event ids 3300–3399 (the index); category DnsMcs.Index, so it is logged with or without the errors
/// directive, as a bad manifest is.
/// </summary>
internal static partial class IndexRejectionLog
{
    public const string Category = "DnsMcs.Index";

    public static void Attach(ClusterSetIndex index, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(Category);
        index.Rejected += (_, r) => Rejected(logger, IndexRejectionReasons.Label(r.Reason), r.Namespace, r.Service, r.Object, r.Field, r.Subject, r.Detail);
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning,
        Message = "Service {Namespace}/{Service}: {Reason} in {Object} {Field} (\"{Subject}\"): {Detail}; the rest of the service is served")]
    public static partial void Rejected(ILogger logger, string reason, string @namespace, string service, string @object, string field, string subject, string detail);
}
