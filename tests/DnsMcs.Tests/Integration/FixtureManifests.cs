using System.Globalization;
using System.Text;

namespace DnsMcs.Tests.Integration;

/// <summary>
/// The manifests the integration server loads, written by the test (not examples/, which is free to change):
/// a ClusterSetIP service in two clusters (one with a two-label id), a dual-stack one, a headless StatefulSet-style
/// one, a headless one with nothing ready, a headless one big enough to truncate over UDP, and the file the live
/// edit test rewrites.
/// </summary>
internal static class FixtureManifests
{
    public const int BigEndpoints = 100;

    public const string Cluster = """
        apiVersion: about.k8s.io/v1alpha1
        kind: ClusterProperty
        metadata:
          name: id.k8s.io
        spec:
          value: cluster-a
        ---
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Namespace
          metadata:
            name: shop
        - apiVersion: v1
          kind: Namespace
          metadata:
            name: quiet
        """;

    public const string Web = """
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceImport
        metadata:
          name: web
          namespace: shop
        spec:
          type: ClusterSetIP
          ips: ["10.96.0.10"]
          ports:
          - {name: http, protocol: TCP, port: 80}
          - {name: metrics, protocol: TCP, port: 9090}
          - {protocol: TCP, port: 8443}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-cluster-a
          namespace: shop
          labels:
            multicluster.kubernetes.io/service-name: web
            multicluster.kubernetes.io/source-cluster: cluster-a
        addressType: IPv4
        ports:
        - {name: http, protocol: TCP, port: 8080}
        endpoints:
        - addresses: ["10.1.0.1"]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-cluster-b-eu
          namespace: shop
          labels:
            multicluster.kubernetes.io/service-name: web
            multicluster.kubernetes.io/source-cluster: cluster-b.eu
        addressType: IPv4
        ports:
        - {name: http, protocol: TCP, port: 8080}
        endpoints:
        - addresses: ["10.2.0.1"]
        """;

    public const string Api = """
        apiVersion: multicluster.x-k8s.io/v1beta1
        kind: ServiceImport
        metadata:
          name: api
          namespace: shop
        spec:
          type: ClusterSetIP
          ips: ["10.96.0.20", "fd00::20"]
          ports:
          - {name: grpc, protocol: TCP, port: 9000}
        """;

    public const string Db = """
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceImport
        metadata:
          name: db
          namespace: data
        spec:
          type: Headless
          ports:
          - {name: postgres, protocol: TCP, port: 5432}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-cluster-a
          namespace: data
          labels:
            multicluster.kubernetes.io/service-name: db
            multicluster.kubernetes.io/source-cluster: cluster-a
        addressType: IPv4
        ports:
        - {name: postgres, protocol: TCP, port: 5432}
        endpoints:
        - {addresses: ["10.1.1.1"], hostname: db-0}
        - {addresses: ["10.1.1.2"], hostname: db-1, conditions: {ready: true}}
        - {addresses: ["10.1.1.3"], hostname: db-2, conditions: {ready: false}}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-cluster-b-eu
          namespace: data
          labels:
            multicluster.kubernetes.io/service-name: db
            multicluster.kubernetes.io/source-cluster: cluster-b.eu
        addressType: IPv4
        ports:
        - {name: postgres, protocol: TCP, port: 15432}
        endpoints:
        - {addresses: ["10.2.1.1"], hostname: db-0}
        ---
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceImport
        metadata:
          name: empty
          namespace: data
        spec:
          type: Headless
          ports:
          - {name: http, protocol: TCP, port: 80}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: empty-cluster-a
          namespace: data
          labels:
            multicluster.kubernetes.io/service-name: empty
            multicluster.kubernetes.io/source-cluster: cluster-a
        addressType: IPv4
        ports:
        - {name: http, protocol: TCP, port: 80}
        endpoints:
        - {addresses: ["10.1.2.1"], conditions: {ready: false}}
        """;

    /// <summary>The live-edit test's service, before and after the edit.</summary>
    public static string Live(string address) => $$"""
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceImport
        metadata:
          name: live
          namespace: edit
        spec:
          type: ClusterSetIP
          ips: ["{{address}}"]
          ports:
          - {name: http, protocol: TCP, port: 80}
        """;

    /// <summary>A headless service whose A answer (100 × 16 bytes) exceeds both 512 and our EDNS 1232.</summary>
    public static string Big()
    {
        var text = new StringBuilder("""
            apiVersion: multicluster.x-k8s.io/v1alpha1
            kind: ServiceImport
            metadata:
              name: big
              namespace: data
            spec:
              type: Headless
              ports:
              - {name: http, protocol: TCP, port: 80}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: big-cluster-a
              namespace: data
              labels:
                multicluster.kubernetes.io/service-name: big
                multicluster.kubernetes.io/source-cluster: cluster-a
            addressType: IPv4
            ports:
            - {name: http, protocol: TCP, port: 80}
            endpoints:

            """);
        for (var i = 1; i <= BigEndpoints; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"- addresses: [\"10.3.0.{i}\"]\n");
        }

        return text.ToString();
    }

    /// <summary>Writes every manifest into <paramref name="directory"/>.</summary>
    public static void WriteAll(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "cluster.yaml"), Cluster);
        File.WriteAllText(Path.Combine(directory, "web.yaml"), Web);
        File.WriteAllText(Path.Combine(directory, "api.yml"), Api);
        File.WriteAllText(Path.Combine(directory, "db.yaml"), Db);
        File.WriteAllText(Path.Combine(directory, "big.yaml"), Big());
        File.WriteAllText(Path.Combine(directory, "live.yaml"), Live("10.99.0.1"));
    }
}
