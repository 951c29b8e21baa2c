using System.Net;
using DnsMcs.Dns;
using DnsMcs.Zone.Model;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Zone.Explain;

public sealed partial class NameExplainer
{
    /// <summary>One question being explained: its shape, and the services it touches, read once each.</summary>
    private sealed partial class ExplainContext(NameExplainer owner, NameShape shape)
    {
        private readonly Dictionary<(string, string), ServiceModel> _models = [];

        private string Zone => owner._index.Zone.Name;

        private ServiceModel Model(string @namespace, string service)
        {
            if (!_models.TryGetValue((@namespace, service), out var model))
            {
                model = owner._index.ModelOf(@namespace, service);
                _models.Add((@namespace, service), model);
            }

            return model;
        }

        /// <summary>The record, the rule that made it and the objects behind it; the owner name decides which rule.</summary>
        public ExplainedRecord Annotate(AnswerRecord record)
        {
            var ownerWire = DnsName.Encode(record.Owner);
            var lower = new byte[ownerWire.Length];
            DnsName.ToLowerAscii(ownerWire, lower);
            var at = NameShape.Parse(lower, owner._index.Zone.Wire);
            if (at.Namespace is { } ns && at.Service is { } svc)
            {
                var model = Model(ns, svc);
                return (at.Kind, record.Type) switch
                {
                    (NameKind.Service, DnsRecordType.A or DnsRecordType.AAAA) => ServiceAddress(record, model),
                    (NameKind.Endpoint, DnsRecordType.A or DnsRecordType.AAAA) => EndpointAddress(record, model, at),
                    (NameKind.Service or NameKind.Port, DnsRecordType.SRV) => Srv(record, model, at),
                    _ => new ExplainedRecord(record, "served for this name", []),
                };
            }

            var rule = (at.Kind, record.Type) switch
            {
                (NameKind.Apex, DnsRecordType.SOA) => "the zone's SOA: serial = Unix time of the last index change, minimum = the TTL (its own TTL at most 300)",
                (NameKind.Apex, DnsRecordType.NS) => $"the zone's name server, ns.dns.{Zone}.",
                (NameKind.Fixed, DnsRecordType.A or DnsRecordType.AAAA) => "this server's own address (--ns-address, else the listen addresses)",
                (NameKind.Fixed, DnsRecordType.TXT) => "the MCS DNS schema version this server implements",
                _ => "served for this name",
            };
            return new ExplainedRecord(record, rule, []);
        }

        private ExplainedRecord ServiceAddress(AnswerRecord record, ServiceModel model)
        {
            var service = model.Service;
            if (service is { Type: ServiceType.ClusterSetIP, Ips.IsDefaultOrEmpty: false })
            {
                if (owner._origins?.OriginOf(model.Namespace, model.Name, record.Address!) is { } origin)
                {
                    return new ExplainedRecord(record, origin.Rule, origin.From);
                }

                var index = service.Ips.IndexOf(record.Address!);
                return new ExplainedRecord(
                    record,
                    "clusterset VIP from the ServiceImport's spec.ips",
                    [new RecordSource("ServiceImport", model.Namespace, model.Name, null, $"spec.ips[{index}]", record.Data)]);
            }

            var rule = service?.Type == ServiceType.Headless
                ? "headless: every ready endpoint address, from all clusters, each once"
                : "ClusterSetIP without spec.ips: the ready endpoint addresses of its slices (each exporting cluster's address)";
            return new ExplainedRecord(record, rule, [.. EndpointSources(model, record.Address!, host: null, cluster: null)]);
        }

        private static ExplainedRecord EndpointAddress(AnswerRecord record, ServiceModel model, NameShape at)
        {
            var from = EndpointSources(model, record.Address!, at.Host, at.Cluster).ToList();
            var named = from.Count > 0 && model.Slices.Any(s => Matches(model, s, at.Cluster) && s.Endpoints.Any(e =>
                e.Ready && e.Addresses.Contains(record.Address!) && !string.IsNullOrEmpty(e.Hostname)));
            var rule = named
                ? $"per-endpoint name: the ready endpoint's hostname {at.Host} in cluster {at.Cluster}"
                : $"per-endpoint name: the ready endpoint has no hostname, so its address names it ({at.Host}) in cluster {at.Cluster}";
            return new ExplainedRecord(record, rule, from);
        }

        private static ExplainedRecord Srv(AnswerRecord record, ServiceModel model, NameShape at)
        {
            var service = model.Service!;
            var ports = NamedPorts(model);
            var asked = at.Kind == NameKind.Port
                ? ports.Where(p => PortMatches(p, at.Below![0], at.Below![1])).ToList()
                : ports;
            var tuples = asked.Sum(p => Tuples(model, p));
            var weight = tuples > 0 && 100 / tuples == record.Weight
                ? $"weight floor(100/{tuples}) = {record.Weight} over the {tuples} (address, port) tuples behind this answer"
                : $"weight {record.Weight}";
            var portSource = service.Ports.IsDefaultOrEmpty ? "the slices' named ports (the ServiceImport lists none)" : "spec.ports";
            var target = record.Target!.TrimEnd('.').ToLowerInvariant();
            var serviceName = $"{model.Name}.{model.Namespace}.svc.";
            if (service.Type == ServiceType.ClusterSetIP)
            {
                var portIndex = service.Ports.IsDefaultOrEmpty ? -1 : service.Ports.ToList().FindIndex(p => p.Port == record.Port && asked.Any(a => SamePort(a, p)));
                RecordSource source = portIndex >= 0
                    ? new("ServiceImport", model.Namespace, model.Name, null, $"spec.ports[{portIndex}]", Describe(service.Ports[portIndex]))
                    : new("ServiceImport", model.Namespace, model.Name, null, null, null);
                return new ExplainedRecord(record, $"ClusterSetIP SRV: port {record.Port} from {portSource}, target the service name; {weight}", [source]);
            }

            // Headless: the target is <host>.<cluster>.<svc>…, the port the endpoint's own slice lists under the port's name.
            var from = new List<RecordSource>();
            foreach (var slice in model.Slices)
            {
                var cluster = model.ClusterOf(slice);
                if (cluster is null)
                {
                    continue;
                }

                var slicePort = slice.Ports.Select((p, i) => (Port: p, Index: i)).FirstOrDefault(p => p.Port.Port == record.Port && asked.Any(a => SamePort(a, p.Port)));
                if (slicePort.Port is null)
                {
                    continue;
                }

                for (var i = 0; i < slice.Endpoints.Length; i++)
                {
                    var endpoint = slice.Endpoints[i];
                    if (endpoint.Ready && endpoint.Addresses.Any(a => target.StartsWith($"{EndpointHostName.For(endpoint.Hostname, a)}.{cluster}.{serviceName}", StringComparison.Ordinal)))
                    {
                        from.Add(new RecordSource("EndpointSlice", slice.Namespace, slice.Name, cluster, $"endpoints[{i}]", DescribeEndpoint(endpoint)));
                        from.Add(new RecordSource("EndpointSlice", slice.Namespace, slice.Name, cluster, $"ports[{slicePort.Index}]", Describe(slicePort.Port)));
                    }
                }
            }

            return new ExplainedRecord(record, $"headless SRV: one per ready endpoint, target its per-endpoint name, port from its own slice's port of that name; {weight}", from);
        }

        /// <summary>Every ready endpoint holding <paramref name="address"/> (in one cluster and under one host name, when given).</summary>
        private static IEnumerable<RecordSource> EndpointSources(ServiceModel model, IPAddress address, string? host, string? cluster)
        {
            foreach (var slice in model.Slices)
            {
                if (cluster is not null && !Matches(model, slice, cluster))
                {
                    continue;
                }

                for (var i = 0; i < slice.Endpoints.Length; i++)
                {
                    var endpoint = slice.Endpoints[i];
                    if (endpoint.Ready && endpoint.Addresses.Contains(address)
                        && (host is null || string.Equals(EndpointHostName.For(endpoint.Hostname, address), host, StringComparison.Ordinal)))
                    {
                        var local = slice.ClusterId is null ? "; no source-cluster label, so the local cluster (ClusterProperty id.k8s.io)" : string.Empty;
                        yield return new RecordSource("EndpointSlice", slice.Namespace, slice.Name, model.ClusterOf(slice), $"endpoints[{i}]", DescribeEndpoint(endpoint) + local);
                    }
                }
            }
        }

        private static bool Matches(ServiceModel model, EndpointSliceInfo slice, string? cluster) =>
            cluster is null || string.Equals(model.ClusterOf(slice), cluster, StringComparison.Ordinal);

        /// <summary>The ports that get SRV names, as the answer builder picks them: the ServiceImport's named ports, or else the slices'.</summary>
        private static List<PortInfo> NamedPorts(ServiceModel model)
        {
            var service = model.Service;
            var ports = service is null || service.Ports.IsDefaultOrEmpty ? model.Slices.SelectMany(s => s.Ports) : service.Ports;
            var seen = new HashSet<(string, string)>();
            return [.. ports.Where(p => !string.IsNullOrEmpty(p.Name) && seen.Add((p.Name.ToLowerInvariant(), p.Protocol.ToUpperInvariant())))];
        }

        private static bool PortMatches(PortInfo port, string portLabel, string protocolLabel) =>
            string.Equals("_" + port.Name, portLabel, StringComparison.OrdinalIgnoreCase)
            && string.Equals("_" + port.Protocol, protocolLabel, StringComparison.OrdinalIgnoreCase);

        private static bool SamePort(PortInfo a, PortInfo b) =>
            string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Protocol, b.Protocol, StringComparison.OrdinalIgnoreCase);

        /// <summary>The (address, port) tuples behind one port's SRV answer, before de-duplication (the weight's N).</summary>
        private static int Tuples(ServiceModel model, PortInfo port)
        {
            var ready = ReadyEndpoints(model);
            if (model.Service?.Type == ServiceType.ClusterSetIP)
            {
                return model.Service.Ips.IsDefaultOrEmpty ? ready.Select(e => e.Address).Distinct().Count() : model.Service.Ips.Length;
            }

            return ready.Count(e => e.Cluster is not null && e.Slice.Ports.Any(p => SamePort(p, port)));
        }

        /// <summary>Ready endpoint addresses, each once per cluster, as the answer builder counts them.</summary>
        private static List<(string? Cluster, IPAddress Address, EndpointSliceInfo Slice)> ReadyEndpoints(ServiceModel model)
        {
            var seen = new HashSet<(string, IPAddress)>();
            var ready = new List<(string?, IPAddress, EndpointSliceInfo)>();
            foreach (var slice in model.Slices)
            {
                var cluster = model.ClusterOf(slice);
                foreach (var endpoint in slice.Endpoints.Where(e => e.Ready))
                {
                    foreach (var address in endpoint.Addresses)
                    {
                        if (seen.Add((cluster ?? string.Empty, address)))
                        {
                            ready.Add((cluster, address, slice));
                        }
                    }
                }
            }

            return ready;
        }

        private static string Describe(PortInfo port) => port.Name is null
            ? $"unnamed {port.Protocol} {port.Port}"
            : $"{port.Name} {port.Protocol} {port.Port}";

        private static string DescribeEndpoint(EndpointInfo endpoint)
        {
            var text = string.Join(", ", endpoint.Addresses);
            if (!string.IsNullOrEmpty(endpoint.Hostname))
            {
                text += $", hostname {endpoint.Hostname}";
            }

            return text + (endpoint.Ready ? ", ready" : ", not ready (conditions.ready is false)");
        }

        private static string FamilyName(DnsRecordType type) => type == DnsRecordType.AAAA ? "IPv6" : "IPv4";
    }
}
