using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Zone.Model;
using DnsMcs.Zone.Naming;
using ZoneServiceType = DnsMcs.Zone.Model.ServiceType;

namespace DnsMcs.Sources;

/// <summary>
/// The zone's models built from plain values, each part checked by the MCS rules (KEP-1645 ports, types and
/// addresses; KEP-2149 cluster ids): the one place those rules live. <see cref="ObjectTranslator"/> calls these
/// with the fields of a ServiceImport or an MCS EndpointSlice; the centralized view calls them with a member's
/// merged export and its Services' own slices. Every check returns the value or a failure naming the field
/// (under the <c>field</c> prefix the caller gives), never an exception.
/// </summary>
internal static class ZoneModelParts
{
    /// <summary>A service whose name and namespace the caller has checked (<see cref="Label"/>).</summary>
    public static TranslationResult<ServiceInfo> Service(string @namespace, string name, string? type, IReadOnlyList<string>? ips, IReadOnlyList<ServicePort>? ports)
    {
        var serviceType = ServiceType(type);
        if (!serviceType.IsTranslated)
        {
            return serviceType.Failure!;
        }

        var addresses = ServiceIps(ips, serviceType.Value);
        if (!addresses.IsTranslated)
        {
            return addresses.Failure!;
        }

        var servicePorts = Ports("spec.ports", ports);
        if (!servicePorts.IsTranslated)
        {
            return servicePorts.Failure!;
        }

        return new ServiceInfo(@namespace, name, serviceType.Value, addresses.Value, servicePorts.Value);
    }

    /// <summary>
    /// A slice whose name and namespace the caller has checked, for <paramref name="serviceName"/> and, with a
    /// <paramref name="clusterId"/> (null: the local cluster), already checked too.
    /// </summary>
    public static TranslationResult<EndpointSliceInfo> Slice(
        string @namespace,
        string name,
        string serviceName,
        string? clusterId,
        string? addressType,
        IReadOnlyList<EndpointPort>? ports,
        IReadOnlyList<Endpoint>? endpoints)
    {
        var family = AddressFamily(addressType);
        if (!family.IsTranslated)
        {
            return family.Failure!;
        }

        var slicePorts = Ports("ports", ports);
        if (!slicePorts.IsTranslated)
        {
            return slicePorts.Failure!;
        }

        var sliceEndpoints = Endpoints(endpoints, family.Value);
        if (!sliceEndpoints.IsTranslated)
        {
            return sliceEndpoints.Failure!;
        }

        return new EndpointSliceInfo(@namespace, name, serviceName, clusterId, family.Value, slicePorts.Value, sliceEndpoints.Value);
    }

    /// <summary>ServiceImport spec.type: empty means ClusterSetIP.</summary>
    public static TranslationResult<ZoneServiceType> ServiceType(string? type) => type switch
    {
        null or "" or "ClusterSetIP" => ZoneServiceType.ClusterSetIP,
        "Headless" => ZoneServiceType.Headless,
        _ => TranslationFailure.Invalid("spec.type", $"\"{type}\" must be ClusterSetIP or Headless"),
    };

    /// <summary>ServiceImport spec.ips: at most one VIP per family, none for a headless service.</summary>
    public static TranslationResult<ImmutableArray<IPAddress>> ServiceIps(IReadOnlyList<string>? ips, ZoneServiceType type)
    {
        ips ??= [];
        if (ips.Count > 2)
        {
            return TranslationFailure.Invalid("spec.ips", $"has {ips.Count} addresses; at most 2 (one per family)");
        }

        if (type == ZoneServiceType.Headless && ips.Count > 0)
        {
            return TranslationFailure.Invalid("spec.ips", "must be empty for a Headless service");
        }

        var parsed = ImmutableArray.CreateBuilder<IPAddress>(ips.Count);
        for (var i = 0; i < ips.Count; i++)
        {
            var field = $"spec.ips[{i}]";
            if (!IpText.TryParse(ips[i], out var ip))
            {
                return TranslationFailure.Invalid(field, $"\"{ips[i]}\" is not an IP address");
            }

            if (parsed.Any(other => other.AddressFamily == ip.AddressFamily))
            {
                return TranslationFailure.Invalid(field, $"\"{ips[i]}\" is a second {IpText.FamilyName(ip.AddressFamily)} address; at most one per family");
            }

            parsed.Add(ip);
        }

        return parsed.MoveToImmutable();
    }

    public static TranslationResult<ImmutableArray<PortInfo>> Ports(string field, IReadOnlyList<ServicePort>? ports)
    {
        var parsed = ImmutableArray.CreateBuilder<PortInfo>(ports?.Count ?? 0);
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var p = ports![i];
            var port = Port($"{field}[{i}]", p.Name, p.Protocol, p.Port, parsed);
            if (!port.IsTranslated)
            {
                return port.Failure!;
            }

            parsed.Add(port.Value);
        }

        return parsed.ToImmutable();
    }

    public static TranslationResult<ImmutableArray<PortInfo>> Ports(string field, IReadOnlyList<EndpointPort>? ports)
    {
        var parsed = ImmutableArray.CreateBuilder<PortInfo>(ports?.Count ?? 0);
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var p = ports![i];
            if (p.Port is not { } number)
            {
                // A slice port without a number means "all ports": there is nothing to put in an SRV record.
                continue;
            }

            var port = Port($"{field}[{i}]", p.Name, p.Protocol, number, parsed);
            if (!port.IsTranslated)
            {
                return port.Failure!;
            }

            parsed.Add(port.Value);
        }

        return parsed.ToImmutable();
    }

    /// <summary>One port: a DNS-label name unique among <paramref name="previous"/> (or none), TCP by default, 1-65535.</summary>
    public static TranslationResult<PortInfo> Port(string field, string? name, string? protocol, int number, IReadOnlyList<PortInfo> previous)
    {
        if (string.IsNullOrEmpty(name))
        {
            name = null;
        }
        else if (!NameRules.IsDnsLabel(name))
        {
            return TranslationFailure.Invalid($"{field}.name", $"\"{name}\" is not a valid port name (lowercase letters, digits and '-')");
        }
        else if (previous.Any(p => string.Equals(p.Name, name, StringComparison.Ordinal)))
        {
            return TranslationFailure.Invalid($"{field}.name", $"\"{name}\" is used by another port");
        }

        protocol = string.IsNullOrEmpty(protocol) ? "TCP" : protocol;
        if (protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            return TranslationFailure.Invalid($"{field}.protocol", $"\"{protocol}\" must be TCP, UDP or SCTP");
        }

        if (number is < 1 or > ushort.MaxValue)
        {
            return TranslationFailure.Invalid($"{field}.port", $"{number} is out of range 1-65535");
        }

        return new PortInfo(name, protocol, (ushort)number);
    }

    /// <summary>A slice's addressType; FQDN slices are not ours (nothing to put in an A or AAAA record).</summary>
    public static TranslationResult<AddressFamily> AddressFamily(string? addressType) => addressType switch
    {
        "IPv4" => System.Net.Sockets.AddressFamily.InterNetwork,
        "IPv6" => System.Net.Sockets.AddressFamily.InterNetworkV6,
        "FQDN" => TranslationFailure.Ignored("addressType FQDN has no addresses to serve"),
        _ => TranslationFailure.Invalid("addressType", $"\"{addressType}\" must be IPv4, IPv6 or FQDN"),
    };

    public static TranslationResult<ImmutableArray<EndpointInfo>> Endpoints(IReadOnlyList<Endpoint>? endpoints, AddressFamily family)
    {
        var parsed = ImmutableArray.CreateBuilder<EndpointInfo>(endpoints?.Count ?? 0);
        for (var i = 0; i < (endpoints?.Count ?? 0); i++)
        {
            var e = endpoints![i];
            var endpoint = Endpoint($"endpoints[{i}]", e.Addresses, e.Hostname, e.Conditions?.Ready, family);
            if (!endpoint.IsTranslated)
            {
                return endpoint.Failure!;
            }

            parsed.Add(endpoint.Value);
        }

        return parsed.MoveToImmutable();
    }

    /// <summary>One endpoint: one or more addresses of the slice's family, an optional DNS-label hostname, its readiness.</summary>
    public static TranslationResult<EndpointInfo> Endpoint(string field, IReadOnlyList<string>? addresses, string? hostname, bool? ready, AddressFamily family)
    {
        if (addresses is null || addresses.Count == 0)
        {
            return TranslationFailure.Invalid($"{field}.addresses", "must hold at least one address");
        }

        var parsed = ImmutableArray.CreateBuilder<IPAddress>(addresses.Count);
        for (var j = 0; j < addresses.Count; j++)
        {
            if (!IpText.TryParse(addresses[j], out var ip))
            {
                return TranslationFailure.Invalid($"{field}.addresses[{j}]", $"\"{addresses[j]}\" is not an IP address");
            }

            if (ip.AddressFamily != family)
            {
                return TranslationFailure.Invalid($"{field}.addresses[{j}]", $"\"{addresses[j]}\" is not an {IpText.FamilyName(family)} address, as the slice's addressType requires");
            }

            parsed.Add(ip);
        }

        if (string.IsNullOrEmpty(hostname))
        {
            hostname = null;
        }
        else if (!NameRules.IsDnsLabel(hostname))
        {
            return TranslationFailure.Invalid($"{field}.hostname", $"\"{hostname}\" is not a DNS label");
        }

        // KEP-1645 and discovery/v1: an unknown readiness (null) counts as ready.
        return new EndpointInfo(parsed.MoveToImmutable(), hostname, ready != false);
    }

    /// <summary>A cluster id (KEP-2149): one DNS label, or two joined by a dot.</summary>
    public static TranslationResult<string> ClusterId(string field, string value) =>
        NameRules.ClusterIdError(value) is { } error
            ? TranslationFailure.Invalid(field, $"\"{value}\" is not a valid cluster id: it {error}")
            : value;

    /// <summary>A name that is a label of the names we serve (namespace, service); <paramref name="what"/> names it in the error.</summary>
    public static TranslationResult<string> Label(string field, string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            return TranslationFailure.Invalid(field, "is required");
        }

        return NameRules.IsDnsLabel(value) ? value : TranslationFailure.Invalid(field, $"\"{value}\" is not a valid {what} (a DNS label)");
    }
}
