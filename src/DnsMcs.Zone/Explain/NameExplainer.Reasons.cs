using DnsMcs.Dns;
using DnsMcs.Zone.Model;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Zone.Explain;

public sealed partial class NameExplainer
{
    private sealed partial class ExplainContext
    {
        /// <summary>Why the answer is negative (or empty), in words chosen by the rcode the responder gave.</summary>
        public string Reason(DnsResponseCode rcode, DnsRecordType type, List<string> notes)
        {
            switch (rcode)
            {
                case DnsResponseCode.Refused:
                    return shape.Kind == NameKind.OutOfZone
                        ? $"the name is outside the zone {Zone}: DnsMcs answers only for it, and neither recurses nor forwards"
                        : "zone transfers (AXFR, IXFR) are not offered";
                case DnsResponseCode.ServFail when !owner._index.IsSynced:
                    var pending = owner._index.PendingSources();
                    return $"sources not synced: {string.Join(", ", pending)} have not finished their first full list, "
                        + "and until they have, an answer that would be negative is SERVFAIL (DnsMcs cannot yet know the name does not exist)";
                case not (DnsResponseCode.NoError or DnsResponseCode.NXDomain):
                    return $"the responder answered {rcode}";
            }

            var exists = rcode == DnsResponseCode.NoError;
            return shape.Kind switch
            {
                NameKind.Apex => $"the zone apex holds SOA and NS records only, not {TypeText(type)}",
                NameKind.Fixed => FixedName(type),
                NameKind.UnknownInZone => $"no such name: below {Zone} the zone has only <svc>.<ns>.svc.{Zone} and the names under it, ns.dns, dns-version, and the empty svc, pod and dns",
                NameKind.Namespace => NamespaceReason(exists),
                NameKind.OutOfZone => $"the name is outside the zone {Zone}",
                _ => ServiceReason(exists, type, notes),
            };
        }

        /// <summary>What else is worth knowing: endpoints left out as not ready, objects a source refused.</summary>
        public void AddNotes(List<string> notes, bool positive)
        {
            if (positive && !owner._index.IsSynced)
            {
                notes.Add($"sources not synced yet ({string.Join(", ", owner._index.PendingSources())}): this answer may change once they have listed");
            }

            if (shape.Namespace is not { } ns || shape.Service is not { } svc)
            {
                return;
            }

            var model = Model(ns, svc);
            if (positive && shape.Kind is NameKind.Service or NameKind.Port or NameKind.Endpoint)
            {
                foreach (var (slice, index, endpoint) in NotReady(model).Where(e => shape.Cluster is null || Matches(model, e.Slice, shape.Cluster)))
                {
                    notes.Add($"left out, not ready: EndpointSlice {slice.Namespace}/{slice.Name} (cluster {model.ClusterOf(slice) ?? "unknown"}) endpoints[{index}] {DescribeEndpoint(endpoint)}");
                }
            }

            if (model.Slices.Any(s => model.ClusterOf(s) is null))
            {
                notes.Add("slices without a multicluster.kubernetes.io/source-cluster label belong to the local cluster, whose id is not known "
                    + "(no ClusterProperty id.k8s.io): their endpoints count in the service's answers but have no per-endpoint names");
            }

            foreach (var rejected in owner._rejected?.For(ns, svc) ?? [])
            {
                notes.Add(rejected.ToString());
            }
        }

        private string FixedName(DnsRecordType type) => shape.Relative switch
        {
            "ns.dns" => $"ns.dns.{Zone} holds the name server's A and AAAA records only; with no {TypeText(type)} address configured (--ns-address) there is none",
            "dns-version" => $"dns-version.{Zone} holds one TXT record only",
            _ => $"{shape.Relative}.{Zone} is an empty non-terminal: it exists because names live below it, and has no records of any type",
        };

        private string NamespaceReason(bool exists)
        {
            var model = Model(shape.Namespace!, string.Empty);
            if (!exists)
            {
                return UnknownNamespace(shape.Namespace!);
            }

            var why = model.NamespaceObjectKnown ? "a Namespace object is known" : "ServiceImports live in it";
            return $"namespace {shape.Namespace} exists ({why}), but {shape.Relative}.{Zone} is an empty non-terminal with no records of any type; ask for <svc>.{shape.Relative}.{Zone}";
        }

        private string UnknownNamespace(string ns)
        {
            var rejected = Rejected("Namespace", null, ns);
            return $"unknown namespace {ns}: no Namespace object and no ServiceImport in it" + (rejected is null ? string.Empty : $"; {rejected}");
        }

        private string ServiceReason(bool exists, DnsRecordType type, List<string> notes)
        {
            var ns = shape.Namespace!;
            var svc = shape.Service!;
            var model = Model(ns, svc);
            var service = model.Service;
            if (service is null)
            {
                if (Rejected("ServiceImport", ns, svc) is { } rejected)
                {
                    return $"no ServiceImport {ns}/{svc} is served: {rejected}";
                }

                if (!model.NamespaceExists)
                {
                    return UnknownNamespace(ns);
                }

                if (model.Slices.Length > 0)
                {
                    return $"unknown service: there is no ServiceImport {ns}/{svc}, so it has no names, although {model.Slices.Length} EndpointSlice(s) are labelled "
                        + $"multicluster.kubernetes.io/service-name={svc} ({string.Join(", ", model.Slices.Select(s => s.Name))})";
                }

                return $"unknown service: no ServiceImport {ns}/{svc} in namespace {ns}";
            }

            return shape.Kind switch
            {
                NameKind.Service => ServiceNameReason(model, exists, type),
                NameKind.Port => PortReason(model, exists, type),
                NameKind.Protocol => exists
                    ? $"{shape.Below![0]}.{svc}.{ns}.svc.{Zone} is an empty non-terminal above the service's _<port>.{shape.Below[0]} names; it has no records"
                    : $"no named port of {ns}/{svc} uses protocol {shape.Below![0].TrimStart('_').ToUpperInvariant()}: {PortList(model)}",
                NameKind.ClusterLabel => ClusterLabelReason(model, exists),
                NameKind.Endpoint => EndpointReason(model, exists, type, notes),
                _ => $"no such name below {svc}.{ns}.svc.{Zone}: the names under a service are _<port>._<proto> and <host>.<cluster> (the cluster id one or two labels)",
            };
        }

        private static string ServiceNameReason(ServiceModel model, bool exists, DnsRecordType type)
        {
            var service = model.Service!;
            if (!exists)
            {
                if (service.Type != ServiceType.Headless)
                {
                    return $"the responder says the name does not exist, though ServiceImport {model.Namespace}/{model.Name} is known";
                }

                if (model.Slices.Length == 0)
                {
                    return $"headless service with no ready endpoints: no EndpointSlice is labelled multicluster.kubernetes.io/service-name={model.Name} "
                        + "in its namespace, and the MCS specification says a headless service without ready endpoints has no name";
                }

                var notReady = NotReady(model).Select(e =>
                    $"EndpointSlice {e.Slice.Namespace}/{e.Slice.Name} (cluster {model.ClusterOf(e.Slice) ?? "unknown"}) endpoints[{e.Index}] {DescribeEndpoint(e.Endpoint)}").ToList();
                var empty = model.Slices.Where(s => s.Endpoints.IsDefaultOrEmpty).Select(s => $"EndpointSlice {s.Namespace}/{s.Name} has no endpoints").ToList();
                return "headless service with no ready endpoints, and the MCS specification says it then has no name: "
                    + string.Join("; ", notReady.Concat(empty));
            }

            if (type is DnsRecordType.A or DnsRecordType.AAAA)
            {
                var family = FamilyName(type);
                if (service.Type == ServiceType.ClusterSetIP && !service.Ips.IsDefaultOrEmpty)
                {
                    return $"the ServiceImport's spec.ips ({string.Join(", ", service.Ips)}) holds no {family} address, and a ClusterSetIP service answers its VIPs only";
                }

                return service.Type == ServiceType.ClusterSetIP
                    ? $"spec.ips is empty and no ready endpoint of its slices has an {family} address"
                    : $"no ready endpoint has an {family} address (only {FamilyName(type == DnsRecordType.A ? DnsRecordType.AAAA : DnsRecordType.A)} ones)";
            }

            if (type == DnsRecordType.SRV)
            {
                return NamedPorts(model).Count == 0
                    ? $"port not named: SRV records exist only for named ports, and {PortList(model)}"
                    : "no ready endpoint listens on a named port, so there is no SRV record";
            }

            return $"the service's name holds A, AAAA and SRV records only, not {TypeText(type)}";
        }

        private string PortReason(ServiceModel model, bool exists, DnsRecordType type)
        {
            var portLabel = shape.Below![0];
            var protocolLabel = shape.Below[1];
            if (exists)
            {
                return type != DnsRecordType.SRV
                    ? $"_<port>._<proto> names hold SRV records only, not {TypeText(type)}"
                    : $"port {portLabel.TrimStart('_')} exists, but no ready endpoint's slice lists a port of that name and protocol, so no SRV record has a target";
            }

            var name = portLabel.TrimStart('_');
            var protocol = protocolLabel.TrimStart('_').ToUpperInvariant();
            var ports = model.Service!.Ports.IsDefaultOrEmpty ? model.Slices.SelectMany(s => s.Ports).ToList() : [.. model.Service.Ports];
            if (ports.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { } other)
            {
                return $"port {other.Name} is {other.Protocol}, not {protocol}: ask for _{other.Name}._{other.Protocol.ToLowerInvariant()}";
            }

            if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && ports.Any(p => p.Port == number && p.Name is null))
            {
                return $"port not named: port {number} has no name, and only named ports get _<port>._<proto> names (RFC 2782, MCS DNS specification)";
            }

            return $"no port named {name}/{protocol}: {PortList(model)}";
        }

        private string ClusterLabelReason(ServiceModel model, bool exists)
        {
            var label = shape.Cluster!;
            var clusters = Clusters(model);
            var suffix = exists ? "; the name exists as an empty non-terminal (NODATA)" : string.Empty;
            if (clusters.Any(c => c == label || c.EndsWith("." + label, StringComparison.Ordinal)))
            {
                return $"per-cluster service name: {label}.{model.Name}.{model.Namespace}.svc.{Zone} is reserved by the MCS specification, which forbids a record "
                    + $"that resolves to a single cluster; the per-endpoint names <host>.{label}.{model.Name}… live below it{suffix}";
            }

            var hosts = ReadyEndpoints(model).Where(e => e.Cluster is not null)
                .SelectMany(e => e.Slice.Endpoints.Where(x => x.Ready && x.Addresses.Contains(e.Address)).Select(x => (e.Cluster, Host: EndpointHostName.For(x.Hostname, e.Address))))
                .Where(h => h.Host == label).Select(h => h.Cluster!).Distinct().ToList();
            if (hosts.Count > 0)
            {
                return $"a per-endpoint name needs its cluster: ask for {label}.{hosts[0]}.{model.Name}.{model.Namespace}.svc.{Zone} (clusters with that host: {string.Join(", ", hosts)})";
            }

            return $"cluster id {label} is not among the service's slices ({ClusterList(clusters)}){suffix}";
        }

        private string EndpointReason(ServiceModel model, bool exists, DnsRecordType type, List<string> notes)
        {
            var cluster = shape.Cluster!;
            var host = shape.Host!;
            var clusters = Clusters(model);
            if (!clusters.Contains(cluster))
            {
                if (clusters.Any(c => c.EndsWith("." + cluster, StringComparison.Ordinal) && c.StartsWith(host + ".", StringComparison.Ordinal)))
                {
                    return ClusterLabelReasonFor(model, $"{host}.{cluster}", exists);
                }

                return $"cluster id {cluster} is not among the service's slices ({ClusterList(clusters)})";
            }

            if (exists)
            {
                return type is DnsRecordType.A or DnsRecordType.AAAA
                    ? $"the endpoint {host} in cluster {cluster} has no {FamilyName(type)} address"
                    : $"per-endpoint names hold A and AAAA records only, not {TypeText(type)}";
            }

            var inCluster = model.Slices.Where(s => model.ClusterOf(s) == cluster).ToList();
            var matching = inCluster
                .SelectMany(s => s.Endpoints.Select((e, i) => (Slice: s, Index: i, Endpoint: e)))
                .Where(x => x.Endpoint.Addresses.Any(a => EndpointHostName.For(x.Endpoint.Hostname, a) == host))
                .ToList();
            if (matching.Count > 0 && matching.All(m => !m.Endpoint.Ready))
            {
                return $"the endpoint {host} in cluster {cluster} is not ready: "
                    + string.Join("; ", matching.Select(m => $"EndpointSlice {m.Slice.Namespace}/{m.Slice.Name} endpoints[{m.Index}] {DescribeEndpoint(m.Endpoint)}"));
            }

            var names = inCluster.SelectMany(s => s.Endpoints.Where(e => e.Ready).SelectMany(e => e.Addresses.Select(a => EndpointHostName.For(e.Hostname, a))))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            notes.Add($"ready endpoint names in cluster {cluster}: {(names.Count == 0 ? "none" : string.Join(", ", names))}");
            return $"no ready endpoint of cluster {cluster} is named {host} (a name is the endpoint's hostname, or its address with '.' and ':' as '-')";
        }

        private string ClusterLabelReasonFor(ServiceModel model, string label, bool exists) =>
            $"per-cluster service name: {label}.{model.Name}.{model.Namespace}.svc.{Zone} is reserved by the MCS specification, which forbids a record "
            + $"that resolves to a single cluster; the per-endpoint names <host>.{label}.{model.Name}… live below it"
            + (exists ? "; the name exists as an empty non-terminal (NODATA)" : string.Empty);

        private string? Rejected(string kind, string? ns, string name) =>
            owner._rejected?.For(ns ?? name, shape.Service ?? string.Empty)
                .FirstOrDefault(r => r.Kind == kind && r.Namespace == ns && r.Name == name)?.ToString();

        private static List<string> Clusters(ServiceModel model) =>
            [.. model.Slices.Select(model.ClusterOf).OfType<string>().Distinct().Order(StringComparer.Ordinal)];

        private static string ClusterList(List<string> clusters) =>
            clusters.Count == 0 ? "it has no slice with a known cluster id" : "its slices come from " + string.Join(", ", clusters);

        private static string PortList(ServiceModel model)
        {
            var ports = model.Service is { Ports.IsDefaultOrEmpty: false } s ? s.Ports.ToList() : model.Slices.SelectMany(x => x.Ports).Distinct().ToList();
            return ports.Count == 0 ? "the service lists no ports" : "its ports are " + string.Join(", ", ports.Select(Describe));
        }

        private static IEnumerable<(EndpointSliceInfo Slice, int Index, EndpointInfo Endpoint)> NotReady(ServiceModel model) =>
            model.Slices.SelectMany(s => s.Endpoints.Select((e, i) => (Slice: s, Index: i, Endpoint: e))).Where(x => !x.Endpoint.Ready);

        private static string TypeText(DnsRecordType type) => AnswerRecord.TypeName(type);
    }
}
