using System.Security.Cryptography.X509Certificates;

namespace DnsMcs.Kubernetes.Credentials;

/// <summary>
/// A bearer token read from a file that someone else rotates (kubelet's projected service
/// account token, a kubeconfig tokenFile). Re-read after <see cref="RefreshInterval"/>, as
/// client-go does every minute, and at once after a 401.
/// </summary>
public sealed class TokenFileCredentialProvider(string path, X509Certificate2? clientCertificate = null, TimeProvider? timeProvider = null) : ICredentialProvider
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private KubernetesCredentials? _cached;
    private DateTimeOffset _readAt;

    public string Path { get; } = path;

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    public async ValueTask<KubernetesCredentials> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_cached is not null && _time.GetUtcNow() - _readAt < RefreshInterval)
            {
                return _cached;
            }
        }

        var token = (await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false)).Trim();
        var credentials = new KubernetesCredentials(token, clientCertificate);
        lock (_lock)
        {
            _cached = credentials;
            _readAt = _time.GetUtcNow();
        }

        return credentials;
    }

    public bool Invalidate(KubernetesCredentials rejected)
    {
        lock (_lock)
        {
            _cached = null;
        }

        return true;
    }
}
