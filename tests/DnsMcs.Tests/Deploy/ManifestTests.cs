using DnsMcs.Tests.Metrics;
using static DnsMcs.Tests.Deploy.RenderedManifests;

namespace DnsMcs.Tests.Deploy;

/// <summary>
/// Renders each deploy/ variant with `kubectl kustomize` and checks what a safe DNS deployment needs. Without
/// kubectl on PATH each test is reported as skipped, with the reason.
/// </summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Variants => new() { "crds", "distributed", "controller", "centralized", "centralized/member-rbac", "coredns" };

    public static TheoryData<string, string> ServerDeployments => new()
    {
        { "distributed", "dnsmcs" },
        { "centralized", "dnsmcs" },
        { "controller", "dnsmcs-controller" },
    };

    [ToolTheory("kubectl", "kubernetes-client")]
    [MemberData(nameof(Variants))]
    public void Kustomize_Variant_RendersLabelledObjects(string variant)
    {
        var manifests = Render(variant);

        Assert.NotEmpty(manifests.Objects);
        Assert.All(manifests.Objects, o => Assert.Equal("dnsmcs", Str(o, "metadata", "labels", "app.kubernetes.io/part-of")));
    }

    [ToolTheory("kubectl", "kubernetes-client")]
    [MemberData(nameof(ServerDeployments))]
    public void Deployment_Variant_IsHighlyAvailableAndHardened(string variant, string name)
    {
        var manifests = Render(variant);

        var deployment = manifests.Single("Deployment", name);
        var pod = Get(deployment, "spec", "template", "spec");
        var container = Get(pod, "containers", 0);
        var selector = (Dictionary<object, object>)Get(deployment, "spec", "selector", "matchLabels")!;

        Assert.Equal("2", Str(deployment, "spec", "replicas"));
        Assert.Equal(selector, Get(pod, "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution", 0, "podAffinityTerm", "labelSelector", "matchLabels"));
        Assert.Equal("kubernetes.io/hostname", Str(pod, "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution", 0, "podAffinityTerm", "topologyKey"));
        var budget = manifests.Single("PodDisruptionBudget", name);
        Assert.Equal(selector, Get(budget, "spec", "selector", "matchLabels"));

        Assert.Equal("/health", Str(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/ready", Str(container, "readinessProbe", "httpGet", "path"));
        Assert.NotNull(Str(container, "resources", "requests", "cpu"));
        Assert.NotNull(Str(container, "resources", "requests", "memory"));
        Assert.NotNull(Str(container, "resources", "limits", "memory"));

        Assert.Equal("false", Str(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", Str(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal(["ALL"], Strings(container, "securityContext", "capabilities", "drop"));
        Assert.Equal("true", Str(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("true", Str(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/scrape"));
    }

    [ToolTheory("kubectl", "kubernetes-client")]
    [InlineData("distributed")]
    [InlineData("centralized")]
    public void DnsServer_Variant_AddsOnlyNetBindServiceAndServesUdpAndTcp53(string variant)
    {
        var manifests = Render(variant);

        var container = Get(manifests.Single("Deployment", "dnsmcs"), "spec", "template", "spec", "containers", 0);
        Assert.Equal(["NET_BIND_SERVICE"], Strings(container, "securityContext", "capabilities", "add"));

        var ports = List(manifests.Single("Service", "dnsmcs"), "spec", "ports");
        Assert.Contains(ports, p => Str(p, "port") == "53" && Str(p, "protocol") == "UDP");
        Assert.Contains(ports, p => Str(p, "port") == "53" && Str(p, "protocol") == "TCP");

        // The Corefile the pod reads is the ConfigMap's, and the path in args is where it is mounted.
        var configMap = manifests.Single("ConfigMap", "dnsmcs");
        Assert.Contains("clusterset.local:53 {", Str(configMap, "data", "Corefile"), StringComparison.Ordinal);
        Assert.Equal(["--config", "/etc/dnsmcs/config/Corefile"], Strings(container, "args"));
    }

    [ToolFact("kubectl", "kubernetes-client")]
    public void Distributed_ClusterRole_IsExactlyReadOnWhatTheServerReads()
    {
        var manifests = Render("distributed");

        var rules = List(manifests.Single("ClusterRole", "dnsmcs"), "rules");
        var granted = rules.SelectMany(r => Strings(r, "apiGroups").SelectMany(g => Strings(r, "resources").Select(res => $"{g}/{res}")))
            .Order(StringComparer.Ordinal);

        Assert.All(rules, r => Assert.Equal(["get", "list", "watch"], Strings(r, "verbs")));
        Assert.Equal(
            ["/namespaces", "about.k8s.io/clusterproperties", "discovery.k8s.io/endpointslices", "multicluster.x-k8s.io/serviceimports"],
            granted);
        Assert.Empty(manifests.OfKind("Role"));
        var binding = manifests.Single("ClusterRoleBinding", "dnsmcs");
        Assert.Equal("dnsmcs", Str(binding, "subjects", 0, "name"));
        Assert.Equal(Str(manifests.Single("Deployment", "dnsmcs"), "spec", "template", "spec", "serviceAccountName"), Str(binding, "subjects", 0, "name"));
    }

    [ToolFact("kubectl", "kubernetes-client")]
    public void Controller_Rbac_LeasesAndWriteVerbsOnly()
    {
        var manifests = Render("controller");

        var role = manifests.Single("Role");
        var leaseRule = Assert.Single(List(role, "rules"));
        Assert.Equal(["coordination.k8s.io"], Strings(leaseRule, "apiGroups"));
        Assert.Equal(["leases"], Strings(leaseRule, "resources"));
        Assert.Equal(["get", "create", "update"], Strings(leaseRule, "verbs"));

        var rules = List(manifests.Single("ClusterRole", "dnsmcs-controller"), "rules");
        List<string> Verbs(string group, string resource) =>
            Strings(Assert.Single(rules, r => Strings(r, "apiGroups").Contains(group) && Strings(r, "resources").Contains(resource)), "verbs");

        string[] write = ["get", "list", "watch", "create", "update", "patch", "delete"];
        Assert.Equal(write, Verbs("multicluster.x-k8s.io", "serviceimports"));
        Assert.Equal(write, Verbs("", "services"));
        Assert.Equal(write, Verbs("discovery.k8s.io", "endpointslices"));
        Assert.Equal(["get", "list", "watch", "create", "delete"], Verbs("multicluster.x-k8s.io", "serviceexports"));
        Assert.Equal(["get", "update", "patch"], Verbs("multicluster.x-k8s.io", "serviceexports/status"));
        Assert.Equal(["create"], Verbs("", "events"));
        Assert.DoesNotContain(rules, r => Strings(r, "resources").Any(res => res is "secrets" or "leases" or "*"));
        Assert.DoesNotContain(rules, r => Strings(r, "verbs").Contains("*"));
    }

    [ToolFact("kubectl", "kubernetes-client")]
    public void Centralized_MemberRbac_IsReadOnly()
    {
        var manifests = Render("centralized/member-rbac");

        var rules = List(manifests.Single("ClusterRole"), "rules");
        Assert.All(rules, r => Assert.Equal(["get", "list", "watch"], Strings(r, "verbs")));
        Assert.Contains(rules, r => Strings(r, "resources").Contains("serviceexports"));
    }

    [ToolFact("kubectl", "kubernetes-client")]
    public void Crds_MultiClusterApis_ServeBothVersionsStoreV1Beta1LikeUpstream()
    {
        var manifests = Render("crds");

        // As mcs-api v0.5.0 (what Cilium, Submariner and the mcs-api controllers install): v1alpha1 and v1beta1
        // served with one schema, stored as v1beta1, so applying these over upstream's keeps storedVersions valid.
        foreach (var name in new[] { "serviceimports.multicluster.x-k8s.io", "serviceexports.multicluster.x-k8s.io" })
        {
            var versions = List(manifests.Single("CustomResourceDefinition", name), "spec", "versions");
            Assert.Equal(["v1alpha1", "v1beta1"], versions.Select(v => Str(v, "name")));
            Assert.All(versions, v => Assert.Equal("true", Str(v, "served")));
            Assert.Equal(["v1beta1"], versions.Where(v => Str(v, "storage") == "true").Select(v => Str(v, "name")));
            Assert.All(versions, v => Assert.NotNull(Get(v, "schema", "openAPIV3Schema", "properties", "status")));
        }

        var properties = Assert.Single(List(manifests.Single("CustomResourceDefinition", "clusterproperties.about.k8s.io"), "spec", "versions"), v => Str(v, "name") == "v1alpha1");
        Assert.Equal("true", Str(properties, "storage"));

        var import = manifests.Single("CustomResourceDefinition", "serviceimports.multicluster.x-k8s.io");
        foreach (var version in new[] { 0, 1 })
        {
            var spec = Get(import, "spec", "versions", version, "schema", "openAPIV3Schema", "properties", "spec", "properties");
            Assert.Equal(["ClusterSetIP", "Headless"], Strings(spec, "type", "enum"));
            Assert.Equal("2", Str(spec, "ips", "maxItems"));
            Assert.NotNull(Get(spec, "ports", "items", "properties", "protocol"));
        }

        Assert.Equal("Namespaced", Str(import, "spec", "scope"));
        Assert.Equal("Cluster", Str(manifests.Single("CustomResourceDefinition", "clusterproperties.about.k8s.io"), "spec", "scope"));
    }
}
