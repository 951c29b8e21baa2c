using DnsMcs.Zone.Naming;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Models;
using DnsMcs.Zone.Model;

namespace DnsMcs.Sources;

/// <summary>
/// Kubernetes objects -> the index's slim models: the one place that knows the MCS rules for objects
/// (KEP-1645 ServiceImport and EndpointSlice labels, KEP-2149 cluster ids). It validates instead of
/// throwing and knows nothing of files, so the manifest and Kubernetes sources both use it.
/// </summary>
internal static class ObjectTranslator
{
    private const string ServiceNameLabel = ResourceTypes.MulticlusterServiceNameLabel;
    private const string SourceClusterLabel = ResourceTypes.MulticlusterSourceClusterLabel;
    private const string DiscoveryGroup = "discovery.k8s.io";
    private const string AboutGroup = "about.k8s.io";

    private static readonly string ServiceNameLabelPath = $"metadata.labels['{ServiceNameLabel}']";
    private static readonly string SourceClusterLabelPath = $"metadata.labels['{SourceClusterLabel}']";

    public static TranslationResult Translate(KubernetesObject obj) => obj switch
    {
        ServiceImport serviceImport => TranslateServiceImport(serviceImport),
        EndpointSlice slice => TranslateEndpointSlice(slice),
        Namespace ns => TranslateNamespace(ns),
        ClusterProperty property => TranslateClusterProperty(property),
        _ => TranslationResult.Ignored($"kind {obj.Kind ?? obj.GetType().Name} is not served"),
    };

    public static TranslationResult TranslateServiceImport(ServiceImport obj)
    {
        if (CheckApiVersion(obj, ResourceTypes.MulticlusterGroup, ResourceTypes.MulticlusterVersions) is { } versionResult)
        {
            return versionResult;
        }

        if (CheckNamespacedName(obj) is { } nameError)
        {
            return nameError;
        }

        var spec = obj.Spec ?? new ServiceImportSpec();
        ServiceType type;
        switch (spec.Type)
        {
            case null or "" or "ClusterSetIP":
                type = ServiceType.ClusterSetIP;
                break;
            case "Headless":
                type = ServiceType.Headless;
                break;
            default:
                return TranslationResult.Invalid("spec.type", $"\"{spec.Type}\" must be ClusterSetIP or Headless");
        }

        var ips = ImmutableArray.CreateBuilder<IPAddress>();
        var specIps = spec.Ips ?? [];
        if (specIps.Count > 2)
        {
            return TranslationResult.Invalid("spec.ips", $"has {specIps.Count} addresses; at most 2 (one per family)");
        }

        if (type == ServiceType.Headless && specIps.Count > 0)
        {
            return TranslationResult.Invalid("spec.ips", "must be empty for a Headless service");
        }

        for (var i = 0; i < specIps.Count; i++)
        {
            var field = $"spec.ips[{i}]";
            if (!IpText.TryParse(specIps[i], out var ip))
            {
                return TranslationResult.Invalid(field, $"\"{specIps[i]}\" is not an IP address");
            }

            if (ips.Any(other => other.AddressFamily == ip.AddressFamily))
            {
                return TranslationResult.Invalid(field, $"\"{specIps[i]}\" is a second {IpText.FamilyName(ip.AddressFamily)} address; at most one per family");
            }

            ips.Add(ip);
        }

        var ports = ImmutableArray.CreateBuilder<PortInfo>();
        var specPorts = spec.Ports ?? [];
        for (var i = 0; i < specPorts.Count; i++)
        {
            var p = specPorts[i];
            var port = TranslatePort($"spec.ports[{i}]", p.Name, p.Protocol, p.Port, ports, out var portError);
            if (portError is not null)
            {
                return portError;
            }

            ports.Add(port!);
        }

        return TranslationResult.Translated(new ServiceObject(new ServiceInfo(obj.Metadata.Namespace!, obj.Metadata.Name!, type, ips.ToImmutable(), ports.ToImmutable())));
    }

    public static TranslationResult TranslateEndpointSlice(EndpointSlice obj)
    {
        if (CheckApiVersion(obj, DiscoveryGroup, ["v1"]) is { } versionResult)
        {
            return versionResult;
        }

        var labels = obj.Metadata.Labels;
        if (labels is null || !labels.TryGetValue(ServiceNameLabel, out var serviceName))
        {
            // Every ordinary Service has slices; only those labelled for a ServiceImport are ours.
            return TranslationResult.Ignored($"no {ServiceNameLabel} label");
        }

        if (CheckNamespacedName(obj) is { } nameError)
        {
            return nameError;
        }

        if (!NameRules.IsDnsLabel(serviceName))
        {
            return TranslationResult.Invalid(ServiceNameLabelPath, $"\"{serviceName}\" is not a valid service name (a DNS label)");
        }

        string? clusterId = null;
        if (labels.TryGetValue(SourceClusterLabel, out var sourceCluster))
        {
            if (NameRules.ClusterIdError(sourceCluster) is { } clusterError)
            {
                return TranslationResult.Invalid(SourceClusterLabelPath, $"\"{sourceCluster}\" is not a valid cluster id: it {clusterError}");
            }

            clusterId = sourceCluster;
        }

        AddressFamily family;
        switch (obj.AddressType)
        {
            case "IPv4":
                family = AddressFamily.InterNetwork;
                break;
            case "IPv6":
                family = AddressFamily.InterNetworkV6;
                break;
            case "FQDN":
                return TranslationResult.Ignored("addressType FQDN has no addresses to serve");
            default:
                return TranslationResult.Invalid("addressType", $"\"{obj.AddressType}\" must be IPv4, IPv6 or FQDN");
        }

        var ports = ImmutableArray.CreateBuilder<PortInfo>();
        var slicePorts = obj.Ports ?? [];
        for (var i = 0; i < slicePorts.Count; i++)
        {
            var p = slicePorts[i];
            if (p.Port is null)
            {
                // A slice port without a number means "all ports": there is nothing to put in an SRV record.
                continue;
            }

            var port = TranslatePort($"ports[{i}]", p.Name, p.Protocol, p.Port.Value, ports, out var portError);
            if (portError is not null)
            {
                return portError;
            }

            ports.Add(port!);
        }

        var endpoints = ImmutableArray.CreateBuilder<EndpointInfo>();
        var sliceEndpoints = obj.Endpoints ?? [];
        for (var i = 0; i < sliceEndpoints.Count; i++)
        {
            var endpoint = TranslateEndpoint($"endpoints[{i}]", sliceEndpoints[i], family, out var endpointError);
            if (endpointError is not null)
            {
                return endpointError;
            }

            endpoints.Add(endpoint!);
        }

        return TranslationResult.Translated(new EndpointSliceObject(new EndpointSliceInfo(
            obj.Metadata.Namespace!, obj.Metadata.Name!, serviceName, clusterId, family, ports.ToImmutable(), endpoints.ToImmutable())));
    }

    public static TranslationResult TranslateNamespace(Namespace obj)
    {
        if (CheckApiVersion(obj, string.Empty, ["v1"]) is { } versionResult)
        {
            return versionResult;
        }

        var name = obj.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            return TranslationResult.Invalid("metadata.name", "is required");
        }

        return NameRules.IsDnsLabel(name)
            ? TranslationResult.Translated(new NamespaceObject(name))
            : TranslationResult.Invalid("metadata.name", $"\"{name}\" is not a valid namespace name (a DNS label)");
    }

    public static TranslationResult TranslateClusterProperty(ClusterProperty obj)
    {
        if (CheckApiVersion(obj, AboutGroup, null) is { } versionResult)
        {
            return versionResult;
        }

        if (!string.Equals(obj.Metadata.Name, LocalClusterIdObject.PropertyName, StringComparison.Ordinal))
        {
            return TranslationResult.Ignored($"ClusterProperty {obj.Metadata.Name} is not {LocalClusterIdObject.PropertyName}");
        }

        var value = obj.Spec?.Value;
        if (string.IsNullOrEmpty(value))
        {
            return TranslationResult.Invalid("spec.value", "is required");
        }

        return NameRules.ClusterIdError(value) is { } error
            ? TranslationResult.Invalid("spec.value", $"\"{value}\" is not a valid cluster id: it {error}")
            : TranslationResult.Translated(new LocalClusterIdObject(value));
    }

    private static EndpointInfo? TranslateEndpoint(string field, Endpoint endpoint, AddressFamily family, out TranslationResult? error)
    {
        error = null;
        var addresses = endpoint.Addresses ?? [];
        if (addresses.Count == 0)
        {
            error = TranslationResult.Invalid($"{field}.addresses", "must hold at least one address");
            return null;
        }

        var parsed = ImmutableArray.CreateBuilder<IPAddress>(addresses.Count);
        for (var j = 0; j < addresses.Count; j++)
        {
            if (!IpText.TryParse(addresses[j], out var ip))
            {
                error = TranslationResult.Invalid($"{field}.addresses[{j}]", $"\"{addresses[j]}\" is not an IP address");
                return null;
            }

            if (ip.AddressFamily != family)
            {
                error = TranslationResult.Invalid($"{field}.addresses[{j}]", $"\"{addresses[j]}\" is not an {IpText.FamilyName(family)} address, as the slice's addressType requires");
                return null;
            }

            parsed.Add(ip);
        }

        var hostname = endpoint.Hostname;
        if (string.IsNullOrEmpty(hostname))
        {
            hostname = null;
        }
        else if (!NameRules.IsDnsLabel(hostname))
        {
            error = TranslationResult.Invalid($"{field}.hostname", $"\"{hostname}\" is not a DNS label");
            return null;
        }

        // KEP-1645 and discovery/v1: an unknown readiness (null) counts as ready.
        var ready = endpoint.Conditions?.Ready != false;
        return new EndpointInfo(parsed.MoveToImmutable(), hostname, ready);
    }

    private static PortInfo? TranslatePort(string field, string? name, string? protocol, int number, ImmutableArray<PortInfo>.Builder previous, out TranslationResult? error)
    {
        error = null;
        if (string.IsNullOrEmpty(name))
        {
            name = null;
        }
        else if (!NameRules.IsDnsLabel(name))
        {
            error = TranslationResult.Invalid($"{field}.name", $"\"{name}\" is not a valid port name (lowercase letters, digits and '-')");
            return null;
        }
        else if (previous.Any(p => string.Equals(p.Name, name, StringComparison.Ordinal)))
        {
            error = TranslationResult.Invalid($"{field}.name", $"\"{name}\" is used by another port");
            return null;
        }

        protocol = string.IsNullOrEmpty(protocol) ? "TCP" : protocol;
        if (protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            error = TranslationResult.Invalid($"{field}.protocol", $"\"{protocol}\" must be TCP, UDP or SCTP");
            return null;
        }

        if (number is < 1 or > ushort.MaxValue)
        {
            error = TranslationResult.Invalid($"{field}.port", $"{number} is out of range 1-65535");
            return null;
        }

        return new PortInfo(name, protocol, (ushort)number);
    }

    // Objects from another group that happen to share a kind name (Submariner's lighthouse.submariner.io
    // ServiceImport, say) are not ours; our group at a version we do not know is an error worth seeing.
    private static TranslationResult? CheckApiVersion(KubernetesObject obj, string group, IReadOnlyList<string>? versions)
    {
        var apiVersion = obj.ApiVersion ?? string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var actualGroup = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        if (!string.Equals(actualGroup, group, StringComparison.Ordinal))
        {
            return TranslationResult.Ignored($"apiVersion {apiVersion} is not served for {obj.Kind}");
        }

        if (versions is not null && !versions.Contains(version, StringComparer.Ordinal))
        {
            var expected = string.Join(" or ", versions.Order(StringComparer.Ordinal).Select(v => group.Length == 0 ? v : $"{group}/{v}"));
            return TranslationResult.Invalid("apiVersion", $"\"{apiVersion}\" is not supported; expected {expected}");
        }

        return null;
    }

    private static TranslationResult? CheckNamespacedName(KubernetesObject obj)
    {
        if (string.IsNullOrEmpty(obj.Metadata.Name))
        {
            return TranslationResult.Invalid("metadata.name", "is required");
        }

        var ns = obj.Metadata.Namespace;
        if (string.IsNullOrEmpty(ns))
        {
            // A file has no kubectl context to default it from, and guessing "default" would serve the wrong name.
            return TranslationResult.Invalid("metadata.namespace", "is required");
        }

        if (!NameRules.IsDnsLabel(ns))
        {
            return TranslationResult.Invalid("metadata.namespace", $"\"{ns}\" is not a valid namespace name (a DNS label)");
        }

        // A ServiceImport's name is a label of every name we serve; a slice's name is only a key.
        if (obj is ServiceImport && !NameRules.IsDnsLabel(obj.Metadata.Name))
        {
            return TranslationResult.Invalid("metadata.name", $"\"{obj.Metadata.Name}\" is not a valid service name (a DNS label)");
        }

        return null;
    }
}
