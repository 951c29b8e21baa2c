namespace DnsMcs.Tests.Metrics;

/// <summary>Tests that claim writer stripes run alone: listener loops elsewhere would hold stripes too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricWriterCollection
{
    public const string Name = "metric writer stripes";
}
