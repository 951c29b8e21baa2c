using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Zone.Faults;
using DnsMcs.Zone.Model;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Zone.Index;

/// <summary>
/// Turns one service (its ServiceImport and EndpointSlices) into its precompiled answers, following
/// the MCS DNS specification as summarised in MCS-DNS.md:
///   1. the service's own name must be representable (labels of 63 bytes, 255 in all), or nothing of it is served;
///   2. ready endpoints, de-duplicated by address within each cluster;
///   3. &lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt; A/AAAA: spec.ips for ClusterSetIP (or, with no ips, the endpoint
///      addresses), every ready address for Headless (no ready endpoint: the name does not exist);
///   4. &lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;... A/AAAA for ready endpoints, for either service type, and the empty
///      non-terminals &lt;cluster&gt;.&lt;svc&gt;... (and b.&lt;svc&gt;... for a cluster a.b) above them;
///   5. SRV on _&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;... and on the service name, weight floor(100/N) over the
///      (address, port) tuples before de-duplication, targets' addresses in Additional.
/// A name that cannot be represented (NameRules) is left out and reported in <c>rejections</c>; the address behind
/// it still counts in the service's A/AAAA. Cost is O(size of this service); one builder per index writer (not thread-safe).
/// </summary>
internal sealed class ServiceAnswerBuilder
{
    private readonly ZoneContext _zone;
    private readonly WireBuffer _buffer = new();

    public ServiceAnswerBuilder(ZoneContext zone) => _zone = zone;

    public ServiceAnswers Build(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, string? localClusterId, List<IndexRejection> rejections)
    {
        var report = new Reporter(service, rejections);
        var below = new Dictionary<byte[], NameNode>(ByteKeyComparer.Instance);
        if (!TryServiceName(service, report, out var suffix))
        {
            return new ServiceAnswers(null, below, 0, 0);
        }

        var orderedSlices = slices
            .OrderBy(s => s.ClusterId ?? localClusterId ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var endpoints = ReadyEndpoints(orderedSlices, localClusterId);
        var clusters = endpoints.Select(e => e.Cluster).Distinct().Count();

        var serviceAddresses = service.Type == ServiceType.ClusterSetIP && !service.Ips.IsDefaultOrEmpty
            ? service.Ips.ToList()
            : endpoints.Select(e => e.Address).Distinct().ToList();
        if (service.Type == ServiceType.Headless && serviceAddresses.Count == 0)
        {
            // The specification: a headless service with no ready endpoint has no records, and its name does not exist.
            return new ServiceAnswers(null, below, 0, clusters);
        }

        // Per-endpoint names: <host>.<cluster>.<svc>.<ns>.svc.<zone>, for both service types. A null target: not representable.
        var hosts = new Dictionary<(string Cluster, string Host), SrvTarget?>();
        var clusterIsValid = new Dictionary<string, bool>(StringComparer.Ordinal); // cluster -> named per-endpoint names below it
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Cluster is null)
            {
                continue; // no cluster id known for this slice: its endpoints cannot be named
            }

            if (!clusterIsValid.TryGetValue(endpoint.Cluster, out var valid))
            {
                var clusterError = NameRules.ClusterIdError(endpoint.Cluster);
                valid = clusterError is null;
                clusterIsValid.Add(endpoint.Cluster, valid);
                if (!valid)
                {
                    var (obj, field) = endpoint.Slice.ClusterId is null
                        ? ("ClusterProperty id.k8s.io", "spec.value")
                        : ($"EndpointSlice {endpoint.Slice.Namespace}/{endpoint.Slice.Name}", "metadata.labels[multicluster.kubernetes.io/source-cluster]");
                    report.Add(IndexRejectionReason.InvalidClusterId, obj, field, endpoint.Cluster, $"cluster id \"{endpoint.Cluster}\" {clusterError}: its endpoints get no per-endpoint names");
                }
            }

            if (!valid)
            {
                continue;
            }

            if (!hosts.TryGetValue((endpoint.Cluster, endpoint.Host), out var target))
            {
                target = HostTarget(endpoint, suffix, report);
                hosts.Add((endpoint.Cluster, endpoint.Host), target);
            }

            if (target is not null && !target.Addresses.Contains(endpoint.Address))
            {
                target.Addresses.Add(endpoint.Address);
            }
        }

        var namedClusters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ((cluster, _), target) in hosts)
        {
            if (target is not null)
            {
                below[target.Prefix] = new NameNode(AddressSets(target.Name, target.Addresses, report));
                namedClusters.Add(cluster);
            }
        }

        // RFC 8020: the names between the service and its per-endpoint names exist (NODATA), or a resolver that
        // was told NXDOMAIN there may deny every name below. TryAdd: a real name of the same spelling wins.
        foreach (var cluster in namedClusters)
        {
            below.TryAdd(ZoneContext.Labels(cluster), NameNode.Empty);
            if (cluster.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0)
            {
                below.TryAdd(ZoneContext.Labels(cluster[(dot + 1)..]), NameNode.Empty);
            }
        }

        // SRV: the named ports of the ServiceImport, or the union of the slices' named ports when it lists none.
        var serviceTarget = new SrvTarget([], suffix);
        serviceTarget.Addresses.AddRange(serviceAddresses);
        var allTuples = new List<(SrvTarget Target, ushort Port)>();
        foreach (var (port, slice) in NamedPorts(service, orderedSlices))
        {
            var tuples = SrvTuples(service.Type, port, serviceTarget, endpoints, hosts);
            allTuples.AddRange(tuples);
            if (PortPrefix(port, slice, suffix, report) is not { } prefix)
            {
                continue; // no _port._proto name; its records still answer SRV on the service name
            }

            var sets = tuples.Count == 0 ? [] : new[] { SrvSet(prefix, suffix, tuples, report) };
            below[prefix] = new NameNode(sets);
            below.TryAdd(prefix[(prefix[0] + 1)..], NameNode.Empty); // _<proto>.<svc>...
        }

        var serviceSets = AddressSets(suffix, serviceAddresses, report).ToList();
        if (allTuples.Count > 0)
        {
            serviceSets.Add(SrvSet([], suffix, allTuples, report));
        }

        return new ServiceAnswers(new NameNode([.. serviceSets]), below, endpoints.Count, clusters);
    }

    /// <summary>The service's own name, lowercased wire form with the root label; false (reported) when it cannot be written.</summary>
    private bool TryServiceName(ServiceInfo service, Reporter report, out byte[] name)
    {
        name = [];
        foreach (var (value, field) in new[] { (service.Name, "metadata.name"), (service.Namespace, "metadata.namespace") })
        {
            if (LabelProblem(value) is { } reason)
            {
                report.Add(reason, report.ServiceObject, field, value, $"\"{value}\" is not a DNS label: the service is not served");
                return false;
            }
        }

        var length = NameRules.WireLength(service.Name, service.Namespace, "svc", _zone.Name);
        if (length > NameRules.MaxNameLength)
        {
            report.Add(IndexRejectionReason.NameTooLong, report.ServiceObject, "metadata.name", $"{service.Name}.{service.Namespace}.svc.{_zone.Name}", $"the service name would be {length} bytes: the service is not served");
            return false;
        }

        name = [.. ZoneContext.Labels(service.Name, service.Namespace, "svc"), .. _zone.Wire];
        return true;
    }

    private static SrvTarget? HostTarget(ReadyEndpoint endpoint, byte[] suffix, Reporter report)
    {
        if (LabelProblem(endpoint.Host) is { } reason)
        {
            report.Add(reason, SliceObject(endpoint.Slice), "endpoints.hostname", endpoint.Host, $"host label \"{endpoint.Host}\" of {endpoint.Address}: no per-endpoint name");
            return null;
        }

        var length = endpoint.Host.Length + 1 + endpoint.Cluster!.Length + 1 + suffix.Length;
        if (length > NameRules.MaxNameLength)
        {
            report.Add(IndexRejectionReason.NameTooLong, SliceObject(endpoint.Slice), "endpoints.hostname", $"{endpoint.Host}.{endpoint.Cluster}",
                $"\"{endpoint.Host}.{endpoint.Cluster}\" of {endpoint.Address} would make a {length}-byte name: no per-endpoint name");
            return null;
        }

        var prefix = ZoneContext.Labels(endpoint.Host, endpoint.Cluster);
        return new SrvTarget(prefix, [.. prefix, .. suffix]);
    }

    /// <summary>"_&lt;port&gt;._&lt;proto&gt;" in wire form, or null (reported) when that name cannot be written.</summary>
    private static byte[]? PortPrefix(PortInfo port, EndpointSliceInfo? slice, byte[] suffix, Reporter report)
    {
                var portLabel = "_" + port.Name!.ToLowerInvariant();
        var protocolLabel = "_" + port.Protocol.ToLowerInvariant();
        foreach (var label in new[] { portLabel, protocolLabel })
        {
            if (LabelProblem(label) is { } reason)
            {
                report.Add(reason, PortObject(slice, report), PortField(port, slice), label, $"label \"{label}\" cannot be written: no {portLabel}.{protocolLabel} name");
                return null;
            }
        }

        var length = portLabel.Length + 1 + protocolLabel.Length + 1 + suffix.Length;
        if (length > NameRules.MaxNameLength)
        {
            report.Add(IndexRejectionReason.NameTooLong, PortObject(slice, report), PortField(port, slice), $"{portLabel}.{protocolLabel}", $"{portLabel}.{protocolLabel} would make a {length}-byte name: no such name");
            return null;
        }

        return ZoneContext.Labels(portLabel, protocolLabel);
    }

    private static string PortObject(EndpointSliceInfo? slice, Reporter report) => slice is null ? report.ServiceObject : SliceObject(slice);

    private static string PortField(PortInfo port, EndpointSliceInfo? slice) => slice is null ? $"spec.ports[{port.Name}].name" : $"ports[{port.Name}].name";

    private static string SliceObject(EndpointSliceInfo slice) => $"EndpointSlice {slice.Namespace}/{slice.Name}";

    private static IndexRejectionReason? LabelProblem(string label) =>
        NameRules.IsWireLabel(label) ? null
        : label.Length > NameRules.MaxLabelLength ? IndexRejectionReason.LabelTooLong
        : IndexRejectionReason.InvalidLabel;

    private static List<ReadyEndpoint> ReadyEndpoints(List<EndpointSliceInfo> slices, string? localClusterId)
    {
        var endpoints = new List<ReadyEndpoint>();
        var seen = new HashSet<(string, IPAddress)>();
        foreach (var slice in slices)
        {
            var cluster = slice.ClusterId ?? localClusterId;
            foreach (var endpoint in slice.Endpoints)
            {
                if (!endpoint.Ready)
                {
                    continue;
                }

                foreach (var address in endpoint.Addresses)
                {
                    if (seen.Add((cluster ?? string.Empty, address)))
                    {
                        endpoints.Add(new ReadyEndpoint(cluster?.ToLowerInvariant(), EndpointHostName.For(endpoint.Hostname, address), address, slice));
                    }
                }
            }
        }

        return endpoints;
    }

    /// <summary>Named ports, each once by (name, protocol), with the slice they come from (null: the ServiceImport).</summary>
    private static IEnumerable<(PortInfo Port, EndpointSliceInfo? Slice)> NamedPorts(ServiceInfo service, List<EndpointSliceInfo> slices)
    {
        var ports = service.Ports.IsDefaultOrEmpty
            ? slices.SelectMany(s => s.Ports.Select(p => (p, (EndpointSliceInfo?)s)))
            : service.Ports.Select(p => (p, (EndpointSliceInfo?)null));
        var seen = new HashSet<(string, string)>();
        foreach (var (port, slice) in ports)
        {
            if (!string.IsNullOrEmpty(port.Name) && seen.Add((port.Name.ToLowerInvariant(), port.Protocol.ToUpperInvariant())))
            {
                yield return (port, slice);
            }
        }
    }

    private static List<(SrvTarget Target, ushort Port)> SrvTuples(
        ServiceType type,
        PortInfo port,
        SrvTarget serviceTarget,
        List<ReadyEndpoint> endpoints,
        Dictionary<(string Cluster, string Host), SrvTarget?> hosts)
    {
        var tuples = new List<(SrvTarget, ushort)>();
        if (type == ServiceType.ClusterSetIP)
        {
            // One tuple per address behind the VIP name: they collapse to one record, but count in the weight.
            foreach (var _ in serviceTarget.Addresses)
            {
                tuples.Add((serviceTarget, port.Port));
            }

            return tuples;
        }

        // Headless: the port each endpoint really listens on, from its own slice, matched by name and protocol.
        // An endpoint without a per-endpoint name has no SRV target, so it is not behind this answer.
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Cluster is null || !hosts.TryGetValue((endpoint.Cluster, endpoint.Host), out var target) || target is null)
            {
                continue;
            }

            foreach (var slicePort in endpoint.Slice.Ports)
            {
                if (string.Equals(slicePort.Name, port.Name, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(slicePort.Protocol, port.Protocol, StringComparison.OrdinalIgnoreCase))
                {
                    tuples.Add((target, slicePort.Port));
                    break;
                }
            }
        }

        return tuples;
    }

    private RecordSet[] AddressSets(byte[] name, List<IPAddress> addresses, Reporter report)
    {
        var sets = RecordWriter.AddressSets(_buffer, name.Length, _zone.Ttl, addresses, out var dropped);
        if (dropped > 0)
        {
            report.Add(IndexRejectionReason.AnswerTooLarge, report.ServiceObject, "answers", DnsName.ToText(name) + " A/AAAA",
                $"{dropped} of {addresses.Count} addresses of {DnsName.ToText(name)} do not fit in one DNS message and are left out");
        }

        return sets;
    }

    private RecordSet SrvSet(byte[] prefix, byte[] suffix, List<(SrvTarget Target, ushort Port)> tuples, Reporter report)
    {
        var weight = (ushort)(100 / tuples.Count);
        var writer = new RecordWriter(_buffer, prefix.Length + suffix.Length);
        var written = new HashSet<(SrvTarget, ushort)>();
        var targets = new List<(SrvTarget Target, int Offset)>();
        ushort answers = 0;
        var full = false;
        foreach (var tuple in tuples)
        {
            if (!written.Add(tuple))
            {
                continue;
            }

            if (!writer.HasRoomFor(18 + tuple.Target.Name.Length))
            {
                full = true;
                break;
            }

            var offset = writer.WriteSrv(DnsHeader.Size, _zone.Ttl, weight, tuple.Port, tuple.Target.Name);
            answers++;
            if (!targets.Exists(t => ReferenceEquals(t.Target, tuple.Target)))
            {
                targets.Add((tuple.Target, offset));
            }
        }

        if (full)
        {
            var distinct = tuples.Distinct().Count();
            report.Add(IndexRejectionReason.AnswerTooLarge, report.ServiceObject, "answers", DnsName.ToText([.. prefix, .. suffix]) + " SRV",
                $"{distinct - answers} of {distinct} SRV records do not fit in one DNS message and are left out");
        }

        ushort additionals = 0;
        foreach (var (target, offset) in targets)
        {
            foreach (var address in target.Addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6))
            {
                if (!writer.HasRoomFor(RecordWriter.AddressRecordSize(address) + target.Name.Length))
                {
                    // Additional records are optional (RFC 2782): a resolver asks for what it misses.
                    return new RecordSet(DnsRecordType.SRV, writer.ToArray(), answers, additionals);
                }

                if (offset <= 0x3FFF)
                {
                    writer.WriteAddress(offset, _zone.Ttl, address);
                }
                else
                {
                    writer.WriteAddressWithOwner(target.Name, _zone.Ttl, address);
                }

                additionals++;
            }
        }

        return new RecordSet(DnsRecordType.SRV, writer.ToArray(), answers, additionals);
    }

    private sealed record ReadyEndpoint(string? Cluster, string Host, IPAddress Address, EndpointSliceInfo Slice);

    /// <summary>A name SRV records point to: its wire form and the addresses that go in Additional.</summary>
    private sealed class SrvTarget(byte[] prefix, byte[] name)
    {
        public byte[] Prefix { get; } = prefix;

        public byte[] Name { get; } = name;

        public List<IPAddress> Addresses { get; } = [];
    }

    /// <summary>Collects one build's rejections, each once.</summary>
    private sealed class Reporter(ServiceInfo service, List<IndexRejection> rejections)
    {
        public string ServiceObject => $"ServiceImport {service.Namespace}/{service.Name}"; // only built for a report

        public void Add(IndexRejectionReason reason, string obj, string field, string subject, string detail)
        {
            var rejection = new IndexRejection(service.Namespace, service.Name, reason, obj, field, subject, detail);
            if (!rejections.Exists(r => r.Identity == rejection.Identity))
            {
                rejections.Add(rejection);
            }
        }
    }
}
