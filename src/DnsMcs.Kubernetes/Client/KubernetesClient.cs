using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DnsMcs.Kubernetes.Configuration;
using DnsMcs.Kubernetes.Credentials;
using DnsMcs.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsMcs.Kubernetes.Client;

/// <summary>
/// Typed REST operations on any resource of one API server. Every request carries fresh
/// credentials; a 401 refreshes them (token file, exec plugin) and retries once. Errors are
/// <see cref="KubernetesApiException"/> carrying the server's Status.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private const string JsonMediaType = "application/json";
    private const string MergePatchMediaType = "application/merge-patch+json";
    private const string ApplyPatchMediaType = "application/apply-patch+yaml";

    private readonly HttpClient _http;
    private readonly ICredentialProvider _credentials;
    private readonly ILogger _logger;
    private X509Certificate2? _clientCertificate;

    public KubernetesClient(KubernetesClientConfiguration configuration, ILogger<KubernetesClient>? logger = null)
    {
        Configuration = configuration;
        _credentials = configuration.Credentials;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _http = new HttpClient(HttpHandlerFactory.Create(configuration, () => Volatile.Read(ref _clientCertificate)))
        {
            BaseAddress = configuration.Server,

            // Watches stay open for minutes; other requests get RequestTimeout through their token.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("dnsmcs", typeof(KubernetesClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>Limit for any request but a watch.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>GET one object; null when it does not exist.</summary>
    public async Task<T?> GetAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        var path = type.Descriptor.ObjectPath(ns, name);
        return await SendForObjectAsync(HttpMethod.Get, path, null, type.TypeInfo, allowNotFound: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of a list; pass the previous page's metadata.continue to get the next.</summary>
    public async Task<KubernetesList<T>> ListPageAsync<T>(ResourceType<T> type, ListOptions options, string? continueToken, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        var query = new QueryBuilder()
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit > 0 ? options.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            .Add("continue", continueToken);
        var path = type.Descriptor.CollectionPath(options.Namespace) + query;
        return (await SendForObjectAsync(HttpMethod.Get, path, null, type.ListTypeInfo, allowNotFound: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Every page of a list, merged; the result's resourceVersion is the one to watch from. If a
    /// continue token expires (410) between pages the list starts over: pages of two different
    /// snapshots must not be mixed.
    /// </summary>
    public async Task<KubernetesList<T>> ListAsync<T>(ResourceType<T> type, ListOptions options, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        const int maxRestarts = 3;
        for (var restart = 0; ; restart++)
        {
            var first = await ListPageAsync(type, options, null, cancellationToken).ConfigureAwait(false);
            var items = first.Items;
            var continueToken = first.Metadata.Continue;
            try
            {
                while (!string.IsNullOrEmpty(continueToken))
                {
                    var page = await ListPageAsync(type, options, continueToken, cancellationToken).ConfigureAwait(false);
                    items.AddRange(page.Items);
                    continueToken = page.Metadata.Continue;
                }
            }
            catch (KubernetesApiException e) when (e.IsGone && restart < maxRestarts)
            {
                ClientLog.ListContinueExpired(_logger, type.Descriptor);
                continue;
            }

            first.Metadata.Continue = null;
            first.Metadata.RemainingItemCount = null;
            return first;
        }
    }

    /// <summary>Opens a watch; the response headers have arrived when this returns.</summary>
    public async Task<WatchStream<T>> WatchAsync<T>(ResourceType<T> type, WatchOptions options, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        var query = new QueryBuilder()
            .Add("watch", "true")
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("resourceVersion", string.IsNullOrEmpty(options.ResourceVersion) ? null : options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("sendInitialEvents", options.SendInitialEvents ? "true" : null)
            .Add("resourceVersionMatch", options.SendInitialEvents ? "NotOlderThan" : null);
        var path = type.Descriptor.CollectionPath(options.Namespace) + query;
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfFailedAsync(response, $"watch {path}", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new WatchStream<T>(response, body, type);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<T> CreateAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        Stamp(type, obj);
        var path = type.Descriptor.CollectionPath(obj.Metadata.Namespace);
        return (await SendForObjectAsync(HttpMethod.Post, path, JsonBody(obj, type.TypeInfo), type.TypeInfo, allowNotFound: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// PUT the whole object. With metadata.resourceVersion set this is a compare-and-swap: a
    /// stale version throws <see cref="KubernetesConflictException"/>. The slim models drop
    /// fields they do not know, so PUT only objects this program owns; patch the others.
    /// </summary>
    public async Task<T> UpdateAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        Stamp(type, obj);
        var path = type.Descriptor.ObjectPath(obj.Metadata.Namespace, NameOf(obj));
        return (await SendForObjectAsync(HttpMethod.Put, path, JsonBody(obj, type.TypeInfo), type.TypeInfo, allowNotFound: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>PUT the status subresource (the server ignores everything but status there).</summary>
    public async Task<T> UpdateStatusAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        Stamp(type, obj);
        var path = type.Descriptor.ObjectPath(obj.Metadata.Namespace, NameOf(obj)) + "/status";
        return (await SendForObjectAsync(HttpMethod.Put, path, JsonBody(obj, type.TypeInfo), type.TypeInfo, allowNotFound: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>JSON merge patch (RFC 7386): only the fields in <paramref name="patchJson"/> change.</summary>
    public async Task<T> PatchAsync<T>(ResourceType<T> type, string? ns, string name, string patchJson, CancellationToken cancellationToken, bool status = false)
        where T : KubernetesObject
    {
        var path = type.Descriptor.ObjectPath(ns, name) + (status ? "/status" : string.Empty);
        var body = Encoding.UTF8.GetBytes(patchJson);
        return (await SendForObjectAsync(HttpMethod.Patch, path, (body, MergePatchMediaType), type.TypeInfo, allowNotFound: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Server-side apply: the server merges the fields of <paramref name="obj"/> owned by
    /// <paramref name="fieldManager"/> (JSON is valid YAML, so the body is the JSON object);
    /// creates the object if it does not exist. <paramref name="force"/> takes over conflicting fields.
    /// </summary>
    public async Task<T> ApplyAsync<T>(ResourceType<T> type, T obj, string fieldManager, bool force, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        Stamp(type, obj);
        var query = new QueryBuilder().Add("fieldManager", fieldManager).Add("force", force ? "true" : null);
        var path = type.Descriptor.ObjectPath(obj.Metadata.Namespace, NameOf(obj)) + query;
        var body = JsonSerializer.SerializeToUtf8Bytes(obj, type.TypeInfo);
        return (await SendForObjectAsync(HttpMethod.Patch, path, (body, ApplyPatchMediaType), type.TypeInfo, allowNotFound: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>DELETE; false when the object was already gone.</summary>
    public async Task<bool> DeleteAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        var path = type.Descriptor.ObjectPath(ns, name);
        using var timeout = RequestTimeoutToken(cancellationToken);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await ThrowIfFailedAsync(response, $"DELETE {path}", timeout.Token).ConfigureAwait(false);
        return true;
    }

    /// <summary>GET /apis/GROUP/VERSION; null when the server does not serve that group version.</summary>
    public async Task<ApiResourceList?> GetApiResourcesAsync(string group, string version, CancellationToken cancellationToken)
    {
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        return await SendForObjectAsync(HttpMethod.Get, path, null, ClientJsonContext.Default.ApiResourceList, allowNotFound: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first of <paramref name="versions"/> (in preference order) at which the server serves
    /// <paramref name="type"/>'s plural, e.g. ServiceImport at v1beta1 else v1alpha1; null if none.
    /// </summary>
    public async Task<ResourceType<T>?> DiscoverAsync<T>(ResourceType<T> type, IReadOnlyList<string> versions, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        foreach (var version in versions)
        {
            var resources = await GetApiResourcesAsync(type.Descriptor.Group, version, cancellationToken).ConfigureAwait(false);
            if (resources?.Resources.Any(r => string.Equals(r.Name, type.Descriptor.Plural, StringComparison.Ordinal)) == true)
            {
                return type.WithVersion(version);
            }
        }

        return null;
    }

    public void Dispose() => _http.Dispose();

    private static void Stamp<T>(ResourceType<T> type, T obj)
        where T : KubernetesObject
    {
        // The server (and apply above all) needs apiVersion and kind in the body.
        obj.ApiVersion ??= type.Descriptor.ApiVersion;
        obj.Kind ??= type.Kind;
    }

    private static string NameOf(KubernetesObject obj) =>
        obj.Metadata.Name is { Length: > 0 } name ? name : throw new ArgumentException("object has no metadata.name", nameof(obj));

    private static (byte[] Body, string MediaType) JsonBody<T>(T obj, JsonTypeInfo<T> typeInfo) => (JsonSerializer.SerializeToUtf8Bytes(obj, typeInfo), JsonMediaType);

    private CancellationTokenSource RequestTimeoutToken(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(RequestTimeout);
        return source;
    }

    private async Task<TResult?> SendForObjectAsync<TResult>(HttpMethod method, string path, (byte[] Body, string MediaType)? content, JsonTypeInfo<TResult> resultType, bool allowNotFound, CancellationToken cancellationToken)
        where TResult : class
    {
        using var timeout = RequestTimeoutToken(cancellationToken);
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(method, path);
                if (content is { } c)
                {
                    request.Content = new ByteArrayContent(c.Body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(c.MediaType);
                }

                return request;
            },
            HttpCompletionOption.ResponseHeadersRead,
            timeout.Token).ConfigureAwait(false);
        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await ThrowIfFailedAsync(response, $"{method} {path}", timeout.Token).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, resultType, timeout.Token).ConfigureAwait(false)
            ?? throw new KubernetesApiException($"{method} {path}: empty response body");
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var credentials = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _clientCertificate, credentials.ClientCertificate);
            using var request = build();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
            if (credentials.BearerToken is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && _credentials.Invalidate(credentials))
            {
                ClientLog.RetryingAfterUnauthorized(_logger, Configuration.Server, request.Method, request.RequestUri);
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, string request, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        Status? status = null;
        try
        {
            var text = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (text.Length > 0 && text[0] == (byte)'{')
            {
                status = JsonSerializer.Deserialize(text, KubernetesJsonContext.Default.Status);
            }
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page): the HTTP status alone must do.
        }

        throw response.StatusCode == HttpStatusCode.Conflict
            ? new KubernetesConflictException(status, request)
            : new KubernetesApiException(response.StatusCode, status, request);
    }
}
