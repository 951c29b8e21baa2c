using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DnsMcs.Kubernetes.Configuration;

namespace DnsMcs.Kubernetes.Credentials;

/// <summary>
/// Runs a client.authentication.k8s.io credential plugin (what cloud auth helpers are) and
/// caches its answer until expirationTimestamp; a 401 drops the cache so the next request
/// runs the plugin again.
/// </summary>
public sealed class ExecCredentialProvider(ExecPluginSettings settings, TimeProvider? timeProvider = null) : ICredentialProvider, IDisposable
{
    public const string V1 = "client.authentication.k8s.io/v1";
    public const string V1Beta1 = "client.authentication.k8s.io/v1beta1";

    // Refresh a little before the plugin's own expiry so an in-flight request does not carry a dead token.
    private static readonly TimeSpan ExpirySkew = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PluginTimeout = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KubernetesCredentials? _cached;
    private DateTimeOffset? _expiresAt;

    /// <summary>How many times the plugin has run; for tests and diagnostics.</summary>
    public int Runs { get; private set; }

    public async ValueTask<KubernetesCredentials> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is not null && (_expiresAt is null || _time.GetUtcNow() < _expiresAt.Value - ExpirySkew))
            {
                return _cached;
            }

            var status = await RunPluginAsync(cancellationToken).ConfigureAwait(false);
            X509Certificate2? certificate = null;
            if (!string.IsNullOrEmpty(status.ClientCertificateData) || !string.IsNullOrEmpty(status.ClientKeyData))
            {
                if (string.IsNullOrEmpty(status.ClientCertificateData) || string.IsNullOrEmpty(status.ClientKeyData))
                {
                    throw new KubeConfigException($"exec plugin {settings.Command} returned only one of clientCertificateData and clientKeyData");
                }

                certificate = PemCertificates.LoadClientCertificate(status.ClientCertificateData, status.ClientKeyData);
            }

            if (string.IsNullOrEmpty(status.Token) && certificate is null)
            {
                throw new KubeConfigException($"exec plugin {settings.Command} returned neither a token nor a client certificate");
            }

            _cached = new KubernetesCredentials(string.IsNullOrEmpty(status.Token) ? null : status.Token, certificate);
            _expiresAt = status.ExpirationTimestamp;
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    public bool Invalidate(KubernetesCredentials rejected)
    {
        // Only drop what was rejected: a concurrent request may already have refreshed it.
        if (ReferenceEquals(Volatile.Read(ref _cached), rejected))
        {
            _cached = null;
        }

        return true;
    }

    public void Dispose() => _gate.Dispose();

    private async Task<ExecCredentialStatus> RunPluginAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (settings.WorkingDirectory is not null)
        {
            start.WorkingDirectory = settings.WorkingDirectory;
        }

        foreach (var arg in settings.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = JsonSerializer.Serialize(BuildExecInfo(), ExecCredentialJsonContext.Default.ExecCredential);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubeConfigException($"exec plugin {settings.Command} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KubeConfigException($"exec plugin {settings.Command} cannot be run: {e.Message}. {settings.InstallHint}".TrimEnd(), e);
        }

        using (process)
        {
            Runs++;
            process.StandardInput.Close(); // never interactive: a plugin that prompts gets EOF
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PluginTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new KubeConfigException($"exec plugin {settings.Command} exited with {process.ExitCode}: {errors.Trim()}");
            }

            ExecCredential? credential;
            try
            {
                credential = JsonSerializer.Deserialize(output, ExecCredentialJsonContext.Default.ExecCredential);
            }
            catch (JsonException e)
            {
                throw new KubeConfigException($"exec plugin {settings.Command} wrote no ExecCredential JSON", e);
            }

            if (credential?.Status is null)
            {
                throw new KubeConfigException($"exec plugin {settings.Command} returned an ExecCredential without status");
            }

            if (!string.Equals(credential.ApiVersion, settings.ApiVersion, StringComparison.Ordinal))
            {
                throw new KubeConfigException($"exec plugin {settings.Command} returned apiVersion {credential.ApiVersion}, expected {settings.ApiVersion}");
            }

            return credential.Status;
        }
    }

    private ExecCredential BuildExecInfo()
    {
        var spec = new ExecCredentialSpec { Interactive = false };
        if (settings.ProvideClusterInfo && settings.ClusterServer is not null)
        {
            spec.Cluster = new ExecCluster { Server = settings.ClusterServer.ToString(), CertificateAuthorityData = settings.ClusterCertificateAuthorityData };
        }

        return new ExecCredential { ApiVersion = settings.ApiVersion, Kind = "ExecCredential", Spec = spec };
    }
}
