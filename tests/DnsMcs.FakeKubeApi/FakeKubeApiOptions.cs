namespace DnsMcs.FakeKubeApi;

public sealed class FakeKubeApiOptions
{
    /// <summary>Serve HTTPS with a certificate from a generated CA (see <see cref="FakeKubeApiServer.CertificateAuthority"/>).</summary>
    public bool UseTls { get; init; }

    /// <summary>
    /// Issue the server certificate from an intermediate CA (leaf &lt;- intermediate &lt;- root) and send the
    /// intermediate in the handshake; the kubeconfig still holds only the root.
    /// </summary>
    public bool UseIntermediateCa { get; init; }

    /// <summary>Extra DNS names in the server certificate (for tls-server-name tests).</summary>
    public IReadOnlyList<string> ServerNames { get; init; } = [];

    /// <summary>Put 127.0.0.1, ::1 and localhost in the server certificate; turn off to test tls-server-name.</summary>
    public bool LoopbackServerNames { get; init; } = true;

    public IReadOnlyList<FakeResource> Resources { get; init; } = FakeResource.Defaults;

    /// <summary>Bearer tokens accepted at start; when any are given (or a client certificate is expected) anonymous requests get 401.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>Refuse anonymous requests even with no tokens (client-certificate-only servers).</summary>
    public bool RequireAuthentication { get; init; }

    /// <summary>Per-identity RBAC (403 for anything not allowed); null allows everything.</summary>
    public FakeRbac? Rbac { get; init; }

    /// <summary>The Namespaces a new cluster has (kube-apiserver creates these four at start).</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public long InitialResourceVersion { get; init; } = 1000;

    /// <summary>Changes kept for watches to replay before the oldest are compacted (then 410 Gone).</summary>
    public int MaxHistory { get; init; } = 10_000;

    /// <summary>How often an idle watch with allowWatchBookmarks gets a BOOKMARK (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether watches accept sendInitialEvents=true (the WatchList feature, on by default from 1.32).</summary>
    public bool SupportsWatchList { get; init; } = true;
}
