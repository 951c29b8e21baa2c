using System.Net;
using DnsMcs.Zone.Explain;

namespace DnsMcs.Sources.Centralized;

internal sealed partial class ClusterSetView : IServiceOrigins
{
    /// <summary>
    /// Which members' exported Services hold <paramref name="address"/> as a ClusterIP: in centralized mode those stand
    /// for the clusterset VIP (step 3 above). For explain; takes the view's lock for one service's lookups.
    /// </summary>
    public AddressOrigin? OriginOf(string @namespace, string service, IPAddress address)
    {
        var from = new List<RecordSource>();
        lock (_lock)
        {
            foreach (var member in _members.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                if (!member.Exports.ContainsKey((@namespace, service)) || !member.Services.TryGetValue((@namespace, service), out var exported))
                {
                    continue;
                }

                var spec = exported.Spec;
                var ips = spec?.ClusterIPs is { Count: > 0 } both ? both : spec?.ClusterIP is { } one ? [one] : [];
                var field = spec?.ClusterIPs is { Count: > 0 } ? "spec.clusterIPs" : "spec.clusterIP";
                for (var i = 0; i < ips.Count; i++)
                {
                    if (IpText.TryParse(ips[i], out var ip) && ip.Equals(address))
                    {
                        from.Add(new RecordSource("ServiceExport", @namespace, service, member.Name, null, "exported"));
                        from.Add(new RecordSource("Service", @namespace, service, member.Name, field == "spec.clusterIP" ? field : $"{field}[{i}]", ips[i]));
                    }
                }
            }
        }

        return from.Count == 0
            ? null
            : new AddressOrigin("centralized mode: the ClusterIP of the Service each member exports stands for the clusterset VIP", from);
    }
}
