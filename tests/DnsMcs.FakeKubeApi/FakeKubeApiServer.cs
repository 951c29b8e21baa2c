using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1 speaking the real HTTP protocol: CRUD,
/// paged lists, chunked watch streams with bookmarks and 410 Gone, discovery, bearer tokens,
/// client certificates and TLS. Tests change state through <see cref="Store"/> or over HTTP,
/// and inject faults through the methods below.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly FakeKubeApiOptions _options;
    private readonly FakeApiHandler _handler;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _serverCertificate;
    private WebApplication? _app;
    private int _port;

    private FakeKubeApiServer(FakeKubeApiOptions options)
    {
        _options = options;
        Store = new FakeObjectStore(options.InitialResourceVersion, options.MaxHistory);
        foreach (var ns in options.InitialNamespaces)
        {
            Store.EnsureNamespace(ns);
        }
        foreach (var token in options.Tokens)
        {
            AcceptedTokens[token] = true;
        }

        if (options.UseTls)
        {
            CertificateAuthority = new FakeCertificateAuthority();
            IntermediateAuthority = options.UseIntermediateCa ? CertificateAuthority.CreateIntermediate() : null;
            _serverCertificate = (IntermediateAuthority ?? CertificateAuthority).IssueServerCertificate(options.LoopbackServerNames, [.. options.ServerNames]);
        }

        BookmarkInterval = options.BookmarkInterval;
        Rbac = options.Rbac;
        SupportsWatchList = options.SupportsWatchList;
        _handler = new FakeApiHandler(this, options);
    }

    public FakeObjectStore Store { get; }

    /// <summary>https://127.0.0.1:PORT or http://127.0.0.1:PORT.</summary>
    public Uri BaseAddress => new($"{(_options.UseTls ? "https" : "http")}://127.0.0.1:{_port}");

    /// <summary>The CA that signed the server certificate (and signs client certificates); null without TLS.</summary>
    public FakeCertificateAuthority? CertificateAuthority { get; }

    /// <summary>The intermediate CA that signed the server certificate with <see cref="FakeKubeApiOptions.UseIntermediateCa"/>; null otherwise.</summary>
    public FakeCertificateAuthority? IntermediateAuthority { get; }

    /// <summary>Bearer tokens currently accepted; add or remove to rotate.</summary>
    public ConcurrentDictionary<string, bool> AcceptedTokens { get; } = new(StringComparer.Ordinal);

    public bool RequiresAuthentication => _options.RequireAuthentication || !AcceptedTokens.IsEmpty;

    /// <summary>Who may do what (403 otherwise); null lets every authenticated identity do anything.</summary>
    public FakeRbac? Rbac { get; set; }

    /// <summary>Added before every response (a slow or overloaded server).</summary>
    public TimeSpan ResponseDelay { get; set; }

    public TimeSpan BookmarkInterval { get; set; }

    public bool SupportsWatchList { get; set; }

    /// <summary>Every Warning header sent (an unknown field pruned), as "METHOD path: warning": a client writing within the schema sends none.</summary>
    public ConcurrentQueue<string> Warnings { get; } = new();

    /// <summary>Every request as "METHOD path?query", in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Called with "METHOD path?query" before each request is handled: a hook to change state between two requests.</summary>
    public Action<string>? OnRequest { get; set; }

    /// <summary>Watches currently streaming.</summary>
    public int ActiveWatches => Store.SubscriptionCount;

    internal ConcurrentQueue<int> PendingFailures { get; } = new();

    public static async Task<FakeKubeApiServer> StartAsync(FakeKubeApiOptions? options = null)
    {
        var server = new FakeKubeApiServer(options ?? new FakeKubeApiOptions());
        await server.StartAgainAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Answer the next <paramref name="count"/> requests with <paramref name="statusCode"/> and a Status body (401, 403, 500, 503...).</summary>
    public void FailNextRequests(int statusCode, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            PendingFailures.Enqueue(statusCode);
        }
    }

    /// <summary>
    /// Cuts every open watch in the middle of an event: half an event's bytes, then the
    /// connection is aborted (or, with <paramref name="cleanly"/>, the response ends normally).
    /// </summary>
    public void CutWatches(bool cleanly = false)
    {
        foreach (var subscription in Store.Subscriptions())
        {
            subscription.CutCleanly = cleanly;
            subscription.Events.Writer.TryWrite(new StoreEvent(0, subscription.StoreKey, StoreEvent.Cut, null, null));
        }
    }

    /// <summary>Open watches stop sending anything (no events, no bookmarks) but stay connected.</summary>
    public void StallWatches()
    {
        foreach (var subscription in Store.Subscriptions())
        {
            subscription.Stalled = true;
        }
    }

    /// <summary>Sends a BOOKMARK on every watch that allowed them, now.</summary>
    public void SendBookmarks()
    {
        foreach (var subscription in Store.Subscriptions())
        {
            Store.QueueBookmark(subscription);
        }
    }

    /// <summary>Stops listening; open watches are cut. The store keeps its state.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        CutWatches();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _app = null;
    }

    /// <summary>
    /// A restart of the API server: stop, then come back on the same port with its watch
    /// history gone and the resourceVersion moved on by <paramref name="resourceVersionJump"/>,
    /// so watches resuming from before get 410 Gone.
    /// </summary>
    public async Task RestartAsync(long resourceVersionJump = 100)
    {
        await StopAsync().ConfigureAwait(false);
        Store.AdvanceResourceVersion(resourceVersionJump);
        Store.Compact();
        await StartAgainAsync().ConfigureAwait(false);
    }

    /// <summary>Starts listening (again, on the same port after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync()
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, _port, listen =>
            {
                if (_serverCertificate is not null)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = _serverCertificate;
                        if (IntermediateAuthority is not null)
                        {
                            // Sent in the handshake after the leaf, as a real server configured with a chain file does.
                            https.ServerCertificateChain = [IntermediateAuthority.Certificate];
                        }

                        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;

                        // Checked per request against our CA, so an unknown certificate is a 401 as on the real server.
                        https.ClientCertificateValidation = (_, _, _) => true;
                    });
                }
            });
        });
        var app = builder.Build();
        app.Run(_handler.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
        _app = app;
    }

    /// <summary>
    /// A kubeconfig for this server with one context "fake" (user: a token, a client
    /// certificate, or nothing), with the CA inline when TLS is on.
    /// </summary>
    public string Kubeconfig(string? token = null, string? clientCertificatePem = null, string? clientKeyPem = null, string contextName = "fake", string? ns = null)
    {
        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        var yaml = new StringBuilder();
        yaml.AppendLine("apiVersion: v1").AppendLine("kind: Config").AppendLine($"current-context: {contextName}");
        yaml.AppendLine("clusters:").AppendLine($"- name: {contextName}").AppendLine("  cluster:").AppendLine($"    server: {BaseAddress}");
        if (CertificateAuthority is not null)
        {
            yaml.AppendLine($"    certificate-authority-data: {B64(CertificateAuthority.CertificatePem)}");
        }

        yaml.AppendLine("users:").AppendLine($"- name: {contextName}").AppendLine("  user:");
        if (token is not null)
        {
            yaml.AppendLine($"    token: {token}");
        }

        if (clientCertificatePem is not null && clientKeyPem is not null)
        {
            yaml.AppendLine($"    client-certificate-data: {B64(clientCertificatePem)}").AppendLine($"    client-key-data: {B64(clientKeyPem)}");
        }

        yaml.AppendLine("contexts:").AppendLine($"- name: {contextName}").AppendLine("  context:").AppendLine($"    cluster: {contextName}").AppendLine($"    user: {contextName}");
        if (ns is not null)
        {
            yaml.AppendLine($"    namespace: {ns}");
        }

        return yaml.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _serverCertificate?.Dispose();
        IntermediateAuthority?.Dispose();
        CertificateAuthority?.Dispose();
    }
}
