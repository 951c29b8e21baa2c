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
/// it still counts in the service's A/AAAA. Cost is O(size of this service); one builder per index writer (not thread-safe),
/// whose scratch collections are reused from build to build: what a build allocates is mostly the finished table.
/// </summary>
internal sealed class ServiceAnswerBuilder
{
    private readonly ZoneContext _zone;
    private readonly WireBuffer _buffer = new();
    private readonly NameTableBuilder _names = new();
    private readonly List<EndpointSliceInfo> _slices = [];
    private readonly List<ReadyEndpoint> _endpoints = [];
    private readonly HashSet<(string, PackedAddress)> _seen = [];
    private readonly Dictionary<(string Cluster, string Host), SrvTarget?> _hosts = [];
    private readonly Dictionary<string, bool> _clusterIsValid = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namedClusters = new(StringComparer.Ordinal);
    private readonly List<PackedAddress> _serviceAddresses = [];
    private readonly HashSet<PackedAddress> _distinct = [];
    private readonly List<(SrvTarget Target, ushort Port)> _allTuples = [];
    private readonly HashSet<string?> _clusters = new(StringComparer.Ordinal);
    private readonly HashSet<(SrvTarget, ushort)> _written = [];
    private readonly List<(SrvTarget Target, int Offset)> _targets = [];
    private readonly HashSet<SrvTarget> _targeted = new(ReferenceEqualityComparer.Instance);

    public ServiceAnswerBuilder(ZoneContext zone) => _zone = zone;

    public ServiceAnswers Build(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, string? localClusterId, List<IndexRejection> rejections)
    {
        try
        {
            return BuildService(service, slices, localClusterId, rejections);
        }
        finally
        {
            // The scratch keeps its capacity, not the objects: a removed slice must not stay alive until the next build.
            _slices.Clear();
            _endpoints.Clear();
            _hosts.Clear();
            _allTuples.Clear();
            _targets.Clear();
            _written.Clear();
            _targeted.Clear();
        }
    }

    private ServiceAnswers BuildService(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, string? localClusterId, List<IndexRejection> rejections)
    {
        var report = new Reporter(service, rejections);
        _names.Clear();
        if (!TryServiceName(service, report, out var suffix))
        {
            return new ServiceAnswers(_names.Build(), 0, 0);
        }

        _slices.Clear();
        _slices.AddRange(slices);
        _slices.Sort((a, b) =>
        {
            var byCluster = string.CompareOrdinal(a.ClusterId ?? localClusterId ?? string.Empty, b.ClusterId ?? localClusterId ?? string.Empty);
            return byCluster != 0 ? byCluster : string.CompareOrdinal(a.Name, b.Name);
        });
        var endpoints = ReadyEndpoints(_slices, localClusterId);
        _clusters.Clear();
        foreach (var endpoint in endpoints)
        {
            _clusters.Add(endpoint.Cluster);
        }

        var clusters = _clusters.Count;

        var serviceAddresses = _serviceAddresses;
        serviceAddresses.Clear();
        if (service.Type == ServiceType.ClusterSetIP && !service.Ips.IsDefaultOrEmpty)
        {
            foreach (var ip in service.Ips)
            {
                serviceAddresses.Add(PackedAddress.From(ip));
            }
        }
        else
        {
            _distinct.Clear();
            foreach (var endpoint in endpoints)
            {
                if (_distinct.Add(endpoint.Address))
                {
                    serviceAddresses.Add(endpoint.Address);
                }
            }
        }

        if (service.Type == ServiceType.Headless && serviceAddresses.Count == 0)
        {
            // The specification: a headless service with no ready endpoint has no records, and its name does not exist.
            return new ServiceAnswers(_names.Build(), 0, clusters);
        }

        // Per-endpoint names: <host>.<cluster>.<svc>.<ns>.svc.<zone>, for both service types. A null target: not representable.
        var hosts = _hosts;
        hosts.Clear();
        _clusterIsValid.Clear();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Cluster is null)
            {
                continue; // no cluster id known for this slice: its endpoints cannot be named
            }

            if (!_clusterIsValid.TryGetValue(endpoint.Cluster, out var valid))
            {
                var clusterError = NameRules.ClusterIdError(endpoint.Cluster);
                valid = clusterError is null;
                _clusterIsValid.Add(endpoint.Cluster, valid);
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

        _namedClusters.Clear();
        foreach (var ((cluster, _), target) in hosts)
        {
            if (target is not null)
            {
                var mark = _names.SetMark;
                AddressSets(target.Name, target.Addresses, report);
                _names.Put(target.Prefix, mark);
                _namedClusters.Add(cluster);
            }
        }

        // RFC 8020: the names between the service and its per-endpoint names exist (NODATA), or a resolver that
        // was told NXDOMAIN there may deny every name below. TryAdd: a real name of the same spelling wins.
        foreach (var cluster in _namedClusters)
        {
            _names.TryAdd(ZoneContext.Labels(cluster));
            if (cluster.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0)
            {
                _names.TryAdd(ZoneContext.Labels(cluster[(dot + 1)..]));
            }
        }

        // SRV: the named ports of the ServiceImport, or the union of the slices' named ports when it lists none.
        var serviceTarget = new SrvTarget(0, suffix);
        serviceTarget.Addresses.AddRange(serviceAddresses);
        var allTuples = _allTuples;
        allTuples.Clear();
        foreach (var (port, slice) in NamedPorts(service, _slices))
        {
            var tuples = SrvTuples(service.Type, port, serviceTarget, endpoints, hosts);
            allTuples.AddRange(tuples);
            if (PortPrefix(port, slice, suffix, report) is not { } prefix)
            {
                continue; // no _port._proto name; its records still answer SRV on the service name
            }

            var mark = _names.SetMark;
            if (tuples.Count > 0)
            {
                SrvSet(prefix, suffix, tuples, report);
            }

            _names.Put(prefix, mark);
            _names.TryAdd(prefix.AsSpan(prefix[0] + 1)); // _<proto>.<svc>...
        }

        var serviceMark = _names.SetMark;
        AddressSets(suffix, serviceAddresses, report);
        if (allTuples.Count > 0)
        {
            SrvSet([], suffix, allTuples, report);
        }

        _names.Put([], serviceMark);
        return new ServiceAnswers(_names.Build(), endpoints.Count, clusters);
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

        // <host>.<cluster> then the service's name, written once: a cluster "a.b" is two labels, as many bytes.
        var name = new byte[length];
        var at = WriteLabel(name, 0, endpoint.Host);
        foreach (var part in endpoint.Cluster.Split('.'))
        {
            at = WriteLabel(name, at, part);
        }

        suffix.CopyTo(name.AsSpan(at));
        return new SrvTarget(at, name);
    }

    /// <summary>One label, already checked (NameRules) and lowercased, at <paramref name="at"/>; returns the end.</summary>
    private static int WriteLabel(byte[] name, int at, string label)
    {
        name[at++] = (byte)label.Length;
        foreach (var ch in label)
        {
            name[at++] = (byte)ch;
        }

        return at;
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

    private List<ReadyEndpoint> ReadyEndpoints(List<EndpointSliceInfo> slices, string? localClusterId)
    {
        var endpoints = _endpoints;
        endpoints.Clear();
        _seen.Clear();
        foreach (var slice in slices)
        {
            var cluster = slice.ClusterId ?? localClusterId;
            var lowerCluster = cluster?.ToLowerInvariant();
            foreach (var endpoint in slice.Endpoints)
            {
                if (!endpoint.Ready)
                {
                    continue;
                }

                for (var i = 0; i < endpoint.AddressCount; i++)
                {
                    var address = endpoint.AddressAt(i);
                    if (_seen.Add((cluster ?? string.Empty, address)))
                    {
                        endpoints.Add(new ReadyEndpoint(lowerCluster, HostLabel(endpoint.Hostname, address), address, slice));
                    }
                }
            }
        }

        return endpoints;
    }

    /// <summary>As <see cref="EndpointHostName.For"/> (explain shows that one), without making an IPAddress for IPv4.</summary>
    private static string HostLabel(string? hostname, PackedAddress address)
    {
        if (!string.IsNullOrEmpty(hostname))
        {
            return hostname.ToLowerInvariant();
        }

        if (address.IsV6)
        {
            return EndpointHostName.FromAddress(address.ToIPAddress());
        }

        var v4 = (uint)address.Low;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v4 >> 24}-{(v4 >> 16) & 255}-{(v4 >> 8) & 255}-{v4 & 255}");
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

    private void AddressSets(byte[] name, List<PackedAddress> addresses, Reporter report)
    {
        RecordWriter.AddressSets(_buffer, _names, name.Length, _zone.Ttl, addresses, out var dropped);
        if (dropped > 0)
        {
            report.Add(IndexRejectionReason.AnswerTooLarge, report.ServiceObject, "answers", DnsName.ToText(name) + " A/AAAA",
                $"{dropped} of {addresses.Count} addresses of {DnsName.ToText(name)} do not fit in one DNS message and are left out");
        }
    }

    private void SrvSet(byte[] prefix, byte[] suffix, List<(SrvTarget Target, ushort Port)> tuples, Reporter report)
    {
        var weight = (ushort)(100 / tuples.Count);
        var writer = new RecordWriter(_buffer, prefix.Length + suffix.Length);
        var written = _written;
        written.Clear();
        var targets = _targets;
        targets.Clear();
        _targeted.Clear();
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
            if (_targeted.Add(tuple.Target))
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
            // IPv4 first, then IPv6 (two passes: no sorted copy per target).
            for (var i = 0; i < target.Addresses.Count * 2; i++)
            {
                var address = target.Addresses[i % target.Addresses.Count];
                if (address.IsV6 != (i >= target.Addresses.Count))
                {
                    continue;
                }

                if (!writer.HasRoomFor(RecordWriter.AddressRecordSize(address) + target.Name.Length))
                {
                    // Additional records are optional (RFC 2782): a resolver asks for what it misses.
                    _names.AddSet(DnsRecordType.SRV, writer.Written, answers, additionals);
                    return;
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

        _names.AddSet(DnsRecordType.SRV, writer.Written, answers, additionals);
    }

    private readonly record struct ReadyEndpoint(string? Cluster, string Host, PackedAddress Address, EndpointSliceInfo Slice);

    /// <summary>A name SRV records point to: its wire form and the addresses that go in Additional.</summary>
    private sealed class SrvTarget(int prefixLength, byte[] name)
    {
        /// <summary>The labels in front of the service's name (the key below it).</summary>
        public ReadOnlySpan<byte> Prefix => Name.AsSpan(0, prefixLength);

        public byte[] Name { get; } = name;

        public List<PackedAddress> Addresses { get; } = new(1);
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
