namespace DnsMcs.Metrics;

/// <summary>Sizes of the answer index, read by the index gauges at each scrape.</summary>
internal readonly record struct IndexCounts(long Services, long Endpoints, long Clusters);
