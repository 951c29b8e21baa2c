using System.Text;
using System.Text.Json;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Credentials;
using DnsMcs.Kubernetes.Tests.Support;

namespace DnsMcs.Kubernetes.Tests.Configuration;

/// <summary>Each kind of kubeconfig credential, used for real against a TLS fake server that refuses anonymous requests.</summary>
public sealed class KubeConfigCredentialTests
{
    private const string Token = "s3cret-token";

    public static TheoryData<string> Kinds =>
    [
        "token",
        "tokenFile",
        "client-certificate-data (EC)",
        "client-certificate files (RSA)",
        "exec v1 token",
        "exec v1beta1 token",
        "exec v1 client certificate",
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Load_CredentialKind_AuthenticatesOverTls(string kind)
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { UseTls = true, Tokens = [Token] });
        using var folder = new TempFolder();
        var path = folder.Write("kube/config", Kubeconfig(server, folder, kind));

        var configuration = KubeConfigLoader.Load(path);
        using var client = new KubernetesClient(configuration);
        server.Store.Create(FakeResource.Namespaces, Objects.Namespace("team-a"));
        var list = await client.ListAsync(ResourceTypes.Namespaces, new ListOptions { FieldSelector = "metadata.name=team-a" }, CancellationToken.None);

        Assert.Equal("team-a", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal("fake", configuration.ContextName);
    }

    [Fact]
    public async Task ExecCredentialProvider_TokenNotExpired_RunsOnceUntil401()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { UseTls = true, Tokens = [Token] });
        using var folder = new TempFolder();
        var path = folder.Write("kube/config", Kubeconfig(server, folder, "exec v1 token"));
        var configuration = KubeConfigLoader.Load(path);
        using var client = new KubernetesClient(configuration);
        var plugin = Assert.IsType<ExecCredentialProvider>(configuration.Credentials);

        await client.ListAsync(ResourceTypes.Namespaces, new ListOptions(), CancellationToken.None);
        await client.ListAsync(ResourceTypes.Namespaces, new ListOptions(), CancellationToken.None);
        Assert.Equal(1, plugin.Runs);

        server.FailNextRequests(401);
        await client.ListAsync(ResourceTypes.Namespaces, new ListOptions(), CancellationToken.None);
        Assert.Equal(2, plugin.Runs);

        // The plugin was told what it is asked for, and that nobody is there to answer prompts.
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "kube", "exec-info.json")));
        Assert.Equal(ExecCredentialProvider.V1, info.RootElement.GetProperty("apiVersion").GetString());
        Assert.False(info.RootElement.GetProperty("spec").GetProperty("interactive").GetBoolean());
    }

    [Fact]
    public async Task ExecCredentialProvider_PluginFails_ThrowsWithItsStderr()
    {
        using var folder = new TempFolder();
        var script = folder.Write("fail.sh", "#!/bin/sh\necho 'login required' >&2\nexit 3\n", executable: true);
        using var provider = new ExecCredentialProvider(new ExecPluginSettings { Command = script });

        var error = await Assert.ThrowsAsync<KubeConfigException>(() => provider.GetAsync(CancellationToken.None).AsTask());
        Assert.Contains("login required", error.Message, StringComparison.Ordinal);
    }

    private static string Kubeconfig(FakeKubeApiServer server, TempFolder folder, string kind)
    {
        var ca = server.CertificateAuthority!;
        switch (kind)
        {
            case "token":
                return server.Kubeconfig(token: Token);
            case "tokenFile":
                // Relative paths resolve against the kubeconfig's folder.
                folder.Write("kube/secrets/token", Token + "\n");
                return WithUser(server, "tokenFile: secrets/token");
            case "client-certificate-data (EC)":
                var ec = ca.IssueClientCertificate("admin");
                return server.Kubeconfig(clientCertificatePem: ec.CertificatePem, clientKeyPem: ec.KeyPem);
            case "client-certificate files (RSA)":
                var rsa = ca.IssueClientCertificate("admin", rsa: true);
                folder.Write("kube/pki/admin.crt", rsa.CertificatePem);
                folder.Write("kube/pki/admin.key", rsa.KeyPem);
                return WithUser(server, "client-certificate: pki/admin.crt\n    client-key: pki/admin.key");
            case "exec v1 token":
            case "exec v1beta1 token":
                var version = kind.Contains("v1beta1", StringComparison.Ordinal) ? ExecCredentialProvider.V1Beta1 : ExecCredentialProvider.V1;
                var status = new StringBuilder($$"""{"token":"{{Token}}","expirationTimestamp":"2099-01-01T00:00:00Z"}""");
                WritePlugin(folder, version, status.ToString());
                return WithUser(server, ExecUser(version));
            case "exec v1 client certificate":
                var issued = ca.IssueClientCertificate("exec-user");
                WritePlugin(folder, ExecCredentialProvider.V1, $$"""{"clientCertificateData":{{JsonSerializer.Serialize(issued.CertificatePem)}},"clientKeyData":{{JsonSerializer.Serialize(issued.KeyPem)}}}""");
                return WithUser(server, ExecUser(ExecCredentialProvider.V1));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static string ExecUser(string version) => $"""
        exec:
              apiVersion: {version}
              command: ./bin/plugin.sh
              args: ["get-token", "--cluster", "fake"]
              env:
              - name: PLUGIN_MODE
                value: test
              interactiveMode: Never
        """;

    private static void WritePlugin(TempFolder folder, string version, string statusJson)
    {
        var output = $$"""{"apiVersion":"{{version}}","kind":"ExecCredential","status":{{statusJson}}}""";
        folder.Write("kube/status.json", output);
        folder.Write("kube/bin/plugin.sh", """
            #!/bin/sh
            # Refuse to answer unless called as configured.
            [ "$1" = "get-token" ] && [ "$PLUGIN_MODE" = "test" ] || { echo "bad invocation" >&2; exit 1; }
            here=$(dirname "$0")
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$here/../exec-info.json"
            cat "$here/../status.json"
            """, executable: true);
    }

    private static string WithUser(FakeKubeApiServer server, string userYaml)
    {
        var baseConfig = server.Kubeconfig(token: "PLACEHOLDER");
        return baseConfig.Replace("token: PLACEHOLDER", userYaml, StringComparison.Ordinal);
    }
}
