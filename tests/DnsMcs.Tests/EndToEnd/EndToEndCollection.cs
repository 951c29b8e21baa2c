namespace DnsMcs.Tests.EndToEnd;

/// <summary>
/// The process-level tests run one at a time: each starts dnsmcs processes and fake API servers, and running them all
/// at once beside the rest of the suite starves timing-sensitive tests elsewhere. Serially they take about ten seconds.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd processes";
}
