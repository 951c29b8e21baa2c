using System.Text;
using DnsMcs.FakeKubeApi;
using DnsMcs.Kubernetes.Client;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Credentials;
using DnsMcs.Kubernetes.Tests.Support;

namespace DnsMcs.Kubernetes.Tests.Configuration;

public sealed class KubeConfigLoaderTests
{
    private const string First = """
        apiVersion: v1
        kind: Config
        current-context: ctx-a
        clusters:
        - name: a
          cluster:
            server: https://a.example:6443
            insecure-skip-tls-verify: true
        contexts:
        - name: ctx-a
          context: {cluster: a, user: alice, namespace: team-a}
        users:
        - name: alice
          user: {token: alice-token}
        """;

    private const string Second = """
        apiVersion: v1
        kind: Config
        current-context: ctx-b
        clusters:
        - name: a
          cluster: {server: https://ignored.example}
        - name: b
          cluster: {server: "https://[fd00::10]:443", tls-server-name: api.b.internal}
        contexts:
        - name: ctx-a
          context: {cluster: b, user: bob}
        - name: ctx-b
          context: {cluster: b, user: bob}
        users:
        - name: bob
          user: {tokenFile: bob.token}
        """;

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Load_KubeconfigListsSeveralFiles_FirstFileWinsPerEntry()
    {
        using var folder = new TempFolder();
        var first = folder.Write("one/config", First);
        var second = folder.Write("two/config", Second);
        var list = string.Join(Path.PathSeparator, first, Path.Combine(folder.Path, "missing"), second);

        var current = KubeConfigLoader.Load(environment: Env(("KUBECONFIG", list)));
        Assert.Equal("ctx-a", current.ContextName);
        Assert.Equal(new Uri("https://a.example:6443"), current.Server);
        Assert.True(current.InsecureSkipTlsVerify);
        Assert.Equal("team-a", current.Namespace);
        Assert.Null(current.ProxyUrl);

        var other = KubeConfigLoader.Load(context: "ctx-b", environment: Env(("KUBECONFIG", list)));
        Assert.Equal("[fd00::10]", other.Server.Host);
        Assert.Equal("api.b.internal", other.TlsServerName);
        Assert.Equal("default", other.Namespace);

        // bob's relative tokenFile belongs to the second file's folder.
        var tokenFile = Assert.IsType<TokenFileCredentialProvider>(other.Credentials);
        Assert.Equal(Path.Combine(folder.Path, "two", "bob.token"), tokenFile.Path);
    }

    /// <summary>Every scalar is read as written: numbers and booleans in string fields stay text, quoted booleans count.</summary>
    public static TheoryData<string, string, bool, string, string> Scalars => new()
    {
        { "token: alice-token", "team-a", true, "alice-token", "team-a" },
        { "token: 0123", "007", true, "0123", "007" },
        { "token: 1e3", "'true'", false, "1e3", "true" },
        { "token: \"true\"", "null-ns", true, "true", "null-ns" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task Load_Scalars_ReadAsWritten(string token, string ns, bool insecure, string expectedToken, string expectedNamespace)
    {
        var yaml = First
            .Replace("{token: alice-token}", $"{{{token}}}", StringComparison.Ordinal)
            .Replace("namespace: team-a", $"namespace: {ns}", StringComparison.Ordinal)
            .Replace("insecure-skip-tls-verify: true", $"insecure-skip-tls-verify: \"{(insecure ? "True" : "false")}\"", StringComparison.Ordinal);
        using var folder = new TempFolder();
        var path = folder.Write("config", yaml);

        var loaded = KubeConfigLoader.Load(path);

        var credentials = await Assert.IsType<StaticCredentialProvider>(loaded.Credentials).GetAsync(CancellationToken.None);
        Assert.Equal(expectedToken, credentials.BearerToken);
        Assert.Equal(expectedNamespace, loaded.Namespace);
        Assert.Equal(insecure, loaded.InsecureSkipTlsVerify);
    }

    public static TheoryData<string, string?, string> Errors => new()
    {
        { First, "nope", "context \"nope\" not found" },
        { First.Replace("server: https://a.example:6443", "server: not a url", StringComparison.Ordinal), null, "is not an absolute URL" },
        { First.Replace("user: alice,", "user: carol,", StringComparison.Ordinal), null, "user \"carol\"" },
        { First.Replace("current-context: ctx-a", string.Empty, StringComparison.Ordinal), null, "no current-context" },
        { First.Replace("{token: alice-token}", "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}}", StringComparison.Ordinal), null, "not supported" },
        { "clusters: [", null, "not valid" },
        { First.Replace("insecure-skip-tls-verify: true", "proxy-url: ':nope'", StringComparison.Ordinal), null, "proxy-url" },
        { First.Replace("{token: alice-token}", "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Always}}", StringComparison.Ordinal), null, "needs a terminal" },

        // A field of the wrong shape names its line and field; a boolean must be one.
        { First.Replace("insecure-skip-tls-verify: true", "insecure-skip-tls-verify: yes", StringComparison.Ordinal), null, "line 8: clusters[0].cluster.insecure-skip-tls-verify: expected true or false, not \"yes\"" },
        { "clusters: {a: b}\n", null, "line 1: clusters must be a list" },
        { "clusters:\n- name: a\n  cluster: [x]\n", null, "line 3: clusters[0].cluster must be an object" },
        { "users:\n- name: u\n  user: {token: [a]}\n", null, "line 3: users[0].user.token must be a string" },

        // Auth methods DnsMcs does not implement: refused, never an anonymous connection.
        { First.Replace("{token: alice-token}", "{username: admin, password: secret}", StringComparison.Ordinal), null, "username/password (basic authentication) is not supported" },
        { First.Replace("{token: alice-token}", "{auth-provider: {name: gcp, config: {cmd-path: gcloud}}}", StringComparison.Ordinal), null, "auth-provider \"gcp\" is not supported" },
        { First.Replace("{token: alice-token}", "{auth-provider: {name: oidc, config: {idp-issuer-url: 'https://issuer'}}}", StringComparison.Ordinal), null, "use an exec credential plugin" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Load_BadKubeconfig_ThrowsSayingWhy(string yaml, string? context, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.Write("config", yaml);

        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path, context));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExplicitPathMissing_ThrowsEvenWithKubeconfigSet()
    {
        using var folder = new TempFolder();
        var other = folder.Write("config", First);

        Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(Path.Combine(folder.Path, "absent"), environment: Env(("KUBECONFIG", other))));
    }

    public static TheoryData<string?, bool, string, bool, bool> TlsCases => new()
    {
        // tls-server-name, insecure-skip-tls-verify, which CA the client trusts, server chain via an intermediate, connects
        { "kube.internal", false, "own", false, true },
        { null, false, "own", false, false },             // the certificate does not name 127.0.0.1
        { "wrong.internal", false, "own", false, false },
        { "kube.internal", false, "other", false, false }, // signed by a CA we do not trust
        { "kube.internal", false, "system", false, false },
        { null, true, "none", false, true },

        // leaf <- intermediate <- root, only the root in the kubeconfig: the intermediate the server sends links them (as kubectl)
        { "kube.internal", false, "own", true, true },
        { "wrong.internal", false, "own", true, false },
        { "kube.internal", false, "other", true, false },
        { "kube.internal", false, "system", true, false },
    };

    [Theory]
    [MemberData(nameof(TlsCases))]
    public async Task Load_TlsSettings_VerifyServerAsConfigured(string? serverName, bool insecure, string trust, bool intermediate, bool connects)
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { UseTls = true, UseIntermediateCa = intermediate, LoopbackServerNames = false, ServerNames = ["kube.internal"] });
        using var otherCa = new FakeCertificateAuthority("other-ca");
        var caPem = trust switch { "own" => server.CertificateAuthority!.CertificatePem, "other" => otherCa.CertificatePem, _ => null };
        var yaml = new StringBuilder();
        yaml.AppendLine("current-context: c").AppendLine("clusters:").AppendLine("- name: c").AppendLine("  cluster:").AppendLine($"    server: {server.BaseAddress}");
        if (caPem is not null)
        {
            yaml.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))}");
        }

        if (serverName is not null)
        {
            yaml.AppendLine($"    tls-server-name: {serverName}");
        }

        yaml.AppendLine($"    insecure-skip-tls-verify: {(insecure ? "true" : "false")}");
        yaml.AppendLine("contexts:").AppendLine("- name: c").AppendLine("  context: {cluster: c}");
        using var folder = new TempFolder();
        using var client = new KubernetesClient(KubeConfigLoader.Load(folder.Write("config", yaml.ToString())));

        var call = client.ListAsync(ResourceTypes.Namespaces, new ListOptions(), CancellationToken.None);
        if (connects)
        {
            await call;
        }
        else
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => call);
        }
    }

    [Fact]
    public async Task InClusterLoad_ServiceAccountFiles_ConnectsAndRereadsRotatedToken()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { UseTls = true, Tokens = ["sa-token-1"] });
        using var folder = new TempFolder();
        var tokenPath = folder.Write("sa/token", "sa-token-1");
        folder.Write("sa/ca.crt", server.CertificateAuthority!.CertificatePem);
        folder.Write("sa/namespace", "dnsmcs-system\n");
        var env = Env(("KUBERNETES_SERVICE_HOST", "127.0.0.1"), ("KUBERNETES_SERVICE_PORT", server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.True(InClusterConfiguration.IsAvailable(env));
        var configuration = InClusterConfiguration.Load(Path.Combine(folder.Path, "sa"), env);
        Assert.Equal("dnsmcs-system", configuration.Namespace);
        using var client = new KubernetesClient(configuration);
        await client.ListAsync(ResourceTypes.Namespaces, new ListOptions(), CancellationToken.None);

        // kubelet writes a new token and the old one stops working: the 401 makes the client read it again.
        File.WriteAllText(tokenPath, "sa-token-2");
        server.AcceptedTokens.Clear();
        server.AcceptedTokens["sa-token-2"] = true;
        await client.ListAsync(ResourceTypes.Namespaces, new ListOptions(), CancellationToken.None);
    }

    public static TheoryData<string, string> ServiceHosts => new()
    {
        { "10.96.0.1", "10.96.0.1" },
        { "fd00:10:96::1", "[fd00:10:96::1]" },
        { "kubernetes.default.svc", "kubernetes.default.svc" },
    };

    [Theory]
    [MemberData(nameof(ServiceHosts))]
    public void InClusterLoad_ServiceHost_FormsServerUrl(string host, string expectedHost)
    {
        using var folder = new TempFolder();
        folder.Write("token", "t");

        var configuration = InClusterConfiguration.Load(folder.Path, Env(("KUBERNETES_SERVICE_HOST", host), ("KUBERNETES_SERVICE_PORT", "6443")));

        Assert.Equal("https", configuration.Server.Scheme);
        Assert.Equal(expectedHost, configuration.Server.Host);
        Assert.Equal(6443, configuration.Server.Port);
        Assert.Equal("default", configuration.Namespace);
        Assert.Null(configuration.CertificateAuthorities);
    }

    [Fact]
    public void InClusterLoad_NoServiceEnvironment_Throws()
    {
        Assert.False(InClusterConfiguration.IsAvailable(Env()));
        Assert.Throws<KubeConfigException>(() => InClusterConfiguration.Load("/nonexistent", Env()));
    }
}
