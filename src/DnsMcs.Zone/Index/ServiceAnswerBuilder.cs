using System.Net;
using System.Net.Sockets;
using DnsMcs.Dns;
using DnsMcs.Zone.Model;
using DnsMcs.Zone.Naming;

namespace DnsMcs.Zone.Index;

/// <summary>
/// Turns one service (its ServiceImport and EndpointSlices) into its precompiled answers, following
/// the MCS DNS specification as summarised in MCS-DNS.md:
///   1. ready endpoints, de-duplicated by address within each cluster;
///   2. &lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt; A/AAAA: spec.ips for ClusterSetIP (or, with no ips, the endpoint
///      addresses), every ready address for Headless (no ready endpoint: the name does not exist);
///   3. &lt;host&gt;.&lt;cluster&gt;.&lt;svc&gt;... A/AAAA for ready endpoints, for either service type;
///   4. SRV on _&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;... and on the service name, weight floor(100/N) over the
///      (address, port) tuples before de-duplication, targets' addresses in Additional.
/// Cost is O(size of this service); one builder per index writer (not thread-safe).
/// </summary>
internal sealed class ServiceAnswerBuilder
{
    private readonly ZoneContext _zone;
    private readonly WireBuffer _buffer = new();

    public ServiceAnswerBuilder(ZoneContext zone) => _zone = zone;

    public ServiceAnswers Build(ServiceInfo service, IEnumerable<EndpointSliceInfo> slices, string? localClusterId)
    {
        var suffix = ServiceName(service);
        var orderedSlices = slices
            .OrderBy(s => s.ClusterId ?? localClusterId ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var endpoints = ReadyEndpoints(orderedSlices, localClusterId);
        var clusters = endpoints.Select(e => e.Cluster).Distinct().Count();
        var below = new Dictionary<byte[], NameNode>(ByteKeyComparer.Instance);

        var serviceAddresses = service.Type == ServiceType.ClusterSetIP && !service.Ips.IsDefaultOrEmpty
            ? service.Ips.ToList()
            : endpoints.Select(e => e.Address).Distinct().ToList();
        if (service.Type == ServiceType.Headless && serviceAddresses.Count == 0)
        {
            // The specification: a headless service with no ready endpoint has no records, and its name does not exist.
            return new ServiceAnswers(null, below, 0, clusters);
        }

        // Per-endpoint names: <host>.<cluster>.<svc>.<ns>.svc.<zone>, for both service types.
        var hosts = new Dictionary<(string Cluster, string Host), SrvTarget>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Cluster is null)
            {
                continue; // no cluster id known for this slice: its endpoints cannot be named
            }

            if (!hosts.TryGetValue((endpoint.Cluster, endpoint.Host), out var target))
            {
                var prefix = ZoneContext.Labels(endpoint.Host, endpoint.Cluster);
                target = new SrvTarget(prefix, [.. prefix, .. suffix]);
                hosts.Add((endpoint.Cluster, endpoint.Host), target);
            }

            if (!target.Addresses.Contains(endpoint.Address))
            {
                target.Addresses.Add(endpoint.Address);
            }
        }

        foreach (var target in hosts.Values)
        {
            below[target.Prefix] = new NameNode(AddressSets(target.Name.Length, target.Addresses));
        }

        // SRV: the named ports of the ServiceImport, or the union of the slices' named ports when it lists none.
        var serviceTarget = new SrvTarget([], suffix);
        serviceTarget.Addresses.AddRange(serviceAddresses);
        var allTuples = new List<(SrvTarget Target, ushort Port)>();
        foreach (var port in NamedPorts(service, orderedSlices))
        {
            var tuples = SrvTuples(service.Type, port, serviceTarget, endpoints, hosts);
            allTuples.AddRange(tuples);
            var protocolLabel = "_" + port.Protocol.ToLowerInvariant();
            var prefix = ZoneContext.Labels("_" + port.Name!, protocolLabel);
            var sets = tuples.Count == 0 ? [] : new[] { SrvSet(prefix.Length + suffix.Length, tuples) };
            below[prefix] = new NameNode(sets);
            below.TryAdd(ZoneContext.Labels(protocolLabel), NameNode.Empty);
        }

        var serviceSets = AddressSets(suffix.Length, serviceAddresses).ToList();
        if (allTuples.Count > 0)
        {
            serviceSets.Add(SrvSet(suffix.Length, allTuples));
        }

        return new ServiceAnswers(new NameNode([.. serviceSets]), below, endpoints.Count, clusters);
    }

    /// <summary>The service's own name, lowercased wire form with the root label.</summary>
    public byte[] ServiceName(ServiceInfo service) => [.. ZoneContext.Labels(service.Name, service.Namespace, "svc"), .. _zone.Wire];

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

    private static IEnumerable<PortInfo> NamedPorts(ServiceInfo service, List<EndpointSliceInfo> slices)
    {
        var ports = service.Ports.IsDefaultOrEmpty ? slices.SelectMany(s => s.Ports) : service.Ports;
        var seen = new HashSet<(string, string)>();
        foreach (var port in ports)
        {
            if (!string.IsNullOrEmpty(port.Name) && seen.Add((port.Name.ToLowerInvariant(), port.Protocol.ToUpperInvariant())))
            {
                yield return port;
            }
        }
    }

    private static List<(SrvTarget Target, ushort Port)> SrvTuples(
        ServiceType type,
        PortInfo port,
        SrvTarget serviceTarget,
        List<ReadyEndpoint> endpoints,
        Dictionary<(string Cluster, string Host), SrvTarget> hosts)
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
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Cluster is null)
            {
                continue;
            }

            foreach (var slicePort in endpoint.Slice.Ports)
            {
                if (string.Equals(slicePort.Name, port.Name, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(slicePort.Protocol, port.Protocol, StringComparison.OrdinalIgnoreCase))
                {
                    tuples.Add((hosts[(endpoint.Cluster, endpoint.Host)], slicePort.Port));
                    break;
                }
            }
        }

        return tuples;
    }

    private RecordSet[] AddressSets(int nameLength, List<IPAddress> addresses) =>
        RecordWriter.AddressSets(_buffer, nameLength, _zone.Ttl, addresses);

    private RecordSet SrvSet(int nameLength, List<(SrvTarget Target, ushort Port)> tuples)
    {
        var weight = (ushort)(100 / tuples.Count);
        var writer = new RecordWriter(_buffer, nameLength);
        var written = new HashSet<(SrvTarget, ushort)>();
        var targets = new List<(SrvTarget Target, int Offset)>();
        ushort answers = 0;
        foreach (var tuple in tuples)
        {
            if (!written.Add(tuple))
            {
                continue;
            }

            if (!writer.HasRoomFor(18 + tuple.Target.Name.Length))
            {
                break;
            }

            var offset = writer.WriteSrv(DnsHeader.Size, _zone.Ttl, weight, tuple.Port, tuple.Target.Name);
            answers++;
            if (!targets.Exists(t => ReferenceEquals(t.Target, tuple.Target)))
            {
                targets.Add((tuple.Target, offset));
            }
        }

        ushort additionals = 0;
        foreach (var (target, offset) in targets)
        {
            foreach (var address in target.Addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6))
            {
                if (!writer.HasRoomFor(RecordWriter.AddressRecordSize(address) + target.Name.Length))
                {
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
}
