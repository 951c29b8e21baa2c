using System.Text.Json.Serialization.Metadata;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>A resource descriptor bound to its slim model and the source-generated JSON metadata for it and its list.</summary>
public sealed class ResourceType<T>(ResourceDescriptor descriptor, string kind, JsonTypeInfo<T> typeInfo, JsonTypeInfo<KubernetesList<T>> listTypeInfo)
    where T : KubernetesObject
{
    public ResourceDescriptor Descriptor { get; } = descriptor;

    public string Kind { get; } = kind;

    public JsonTypeInfo<T> TypeInfo { get; } = typeInfo;

    public JsonTypeInfo<KubernetesList<T>> ListTypeInfo { get; } = listTypeInfo;

    /// <summary>The same resource at another version (ServiceImport v1alpha1 vs v1beta1 share one model).</summary>
    public ResourceType<T> WithVersion(string version) => new(Descriptor with { Version = version }, Kind, TypeInfo, ListTypeInfo);

    public override string ToString() => Descriptor.ToString();
}
