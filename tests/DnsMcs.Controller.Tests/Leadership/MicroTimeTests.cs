using System.Text.Json;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Controller.Tests.Leadership;

public sealed class MicroTimeTests
{
    [Fact]
    public void Serialize_LeaseTimes_SixFractionalDigitsInUtc()
    {
        var spec = new LeaseSpec { RenewTime = new DateTimeOffset(2026, 11, 22, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567) };

        var json = JsonSerializer.Serialize(new Lease { Spec = spec }, KubernetesJsonContext.Default.Lease);

        Assert.Contains("\"renewTime\":\"2026-11-22T01:04:05.123456Z\"", json, StringComparison.Ordinal);
        Assert.Equal(spec.RenewTime.Value.AddTicks(-7), JsonSerializer.Deserialize(json, KubernetesJsonContext.Default.Lease)!.Spec!.RenewTime);
    }
}
