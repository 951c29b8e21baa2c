using System.Text;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Controller.Sync;

/// <summary>
/// The fields the controller owns in each object it writes, as text. Desired and actual objects are
/// compared through these so a write that would change nothing is skipped, whatever the server
/// added (defaults, managed fields, fields of other writers).
/// </summary>
internal static class Fingerprints
{
    public static string Import(ServiceImport import, IEnumerable<string> labelKeys, IEnumerable<string> annotationKeys)
    {
        var text = new StringBuilder();
        Meta(text, import.Metadata, labelKeys, annotationKeys);
        var spec = import.Spec;
        text.Append("|type=").Append(spec?.Type);
        text.Append("|affinity=").Append(spec?.SessionAffinity ?? "None");
        text.Append("|ips=").AppendJoin(',', spec?.Ips ?? []);
        Ports(text, spec?.Ports);
        return text.ToString();
    }

    public static string ImportStatus(ServiceImport? import) =>
        string.Join(',', import?.Status?.Clusters?.Select(c => c.Cluster) ?? []);

    public static string DerivedService(Service service, IEnumerable<string> labelKeys, IEnumerable<string> annotationKeys)
    {
        var text = new StringBuilder();
        Meta(text, service.Metadata, labelKeys, annotationKeys);
        OwnerReferences(text, service.Metadata);
        var spec = service.Spec;
        text.Append("|type=").Append(spec?.Type ?? "ClusterIP");
        text.Append("|affinity=").Append(spec?.SessionAffinity ?? "None");
        text.Append("|selector=").Append(spec?.Selector?.Count ?? 0);
        Ports(text, spec?.Ports);
        return text.ToString();
    }

    public static string Slice(EndpointSlice slice, IEnumerable<string> labelKeys, IEnumerable<string> annotationKeys)
    {
        var text = new StringBuilder();
        Meta(text, slice.Metadata, labelKeys, annotationKeys);
        OwnerReferences(text, slice.Metadata);
        text.Append("|addressType=").Append(slice.AddressType);
        foreach (var endpoint in slice.Endpoints ?? [])
        {
            var c = endpoint.Conditions;
            text.Append("|ep=").AppendJoin(',', endpoint.Addresses ?? [])
                .Append(';').Append(c?.Ready).Append(';').Append(c?.Serving).Append(';').Append(c?.Terminating)
                .Append(';').Append(endpoint.Hostname).Append(';').Append(endpoint.Zone);
        }

        foreach (var port in slice.Ports ?? [])
        {
            text.Append("|port=").Append(port.Name).Append(';').Append(port.Protocol ?? "TCP").Append(';').Append(port.Port).Append(';').Append(port.AppProtocol);
        }

        return text.ToString();
    }

    private static void Meta(StringBuilder text, ObjectMeta meta, IEnumerable<string> labelKeys, IEnumerable<string> annotationKeys)
    {
        foreach (var key in labelKeys)
        {
            text.Append("|l:").Append(key).Append('=').Append(McsLabels.Label(meta, key));
        }

        foreach (var key in annotationKeys)
        {
            text.Append("|a:").Append(key).Append('=').Append(McsLabels.Annotation(meta, key));
        }
    }

    private static void OwnerReferences(StringBuilder text, ObjectMeta meta)
    {
        foreach (var owner in meta.OwnerReferences ?? [])
        {
            text.Append("|owner=").Append(owner.Kind).Append('/').Append(owner.Name).Append('/').Append(owner.Uid);
        }
    }

    private static void Ports(StringBuilder text, List<ServicePort>? ports)
    {
        foreach (var port in ports ?? [])
        {
            text.Append("|port=").Append(port.Name).Append(';').Append(port.Protocol ?? "TCP").Append(';').Append(port.Port).Append(';').Append(port.AppProtocol);
        }
    }
}
