using System.Text.Json;
using DnsMcs.Kubernetes.Credentials;
using DnsMcs.Kubernetes.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DnsMcs.Kubernetes.Configuration;

/// <summary>
/// Reads kubeconfig files the way kubectl does:
/// 1. files: the explicit path, else every path in KUBECONFIG, else ~/.kube/config;
/// 2. merge: for each named cluster/user/context and for current-context the first file that
///    sets it wins, and relative paths resolve against the folder of the file that set them;
/// 3. pick the context (the explicit one, else current-context) and build the configuration.
/// </summary>
public static class KubeConfigLoader
{
    /// <param name="kubeconfigPath">--kubeconfig; wins over KUBECONFIG.</param>
    /// <param name="context">--context; defaults to current-context.</param>
    /// <param name="environment">Reads environment variables; defaults to the process environment.</param>
    public static KubernetesClientConfiguration Load(string? kubeconfigPath = null, string? context = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var merged = new MergedConfig();
        foreach (var path in FilesToRead(kubeconfigPath, environment))
        {
            merged.Add(path, Read(path));
        }

        if (merged.FileCount == 0)
        {
            throw new KubeConfigException("no kubeconfig found: set --kubeconfig or KUBECONFIG, or create ~/.kube/config");
        }

        var contextName = context ?? merged.CurrentContext ?? throw new KubeConfigException("no context given and the kubeconfig has no current-context");
        if (!merged.Contexts.TryGetValue(contextName, out var ctx) || ctx.Entry.Context is null)
        {
            throw new KubeConfigException($"context \"{contextName}\" not found in kubeconfig");
        }

        var clusterName = ctx.Entry.Context.Cluster ?? throw new KubeConfigException($"context \"{contextName}\" names no cluster");
        if (!merged.Clusters.TryGetValue(clusterName, out var cluster) || cluster.Entry.Cluster is null)
        {
            throw new KubeConfigException($"cluster \"{clusterName}\" of context \"{contextName}\" not found in kubeconfig");
        }

        (UserEntry? User, string Dir) user = (null, string.Empty);
        if (ctx.Entry.Context.User is { Length: > 0 } userName)
        {
            if (!merged.Users.TryGetValue(userName, out var named))
            {
                throw new KubeConfigException($"user \"{userName}\" of context \"{contextName}\" not found in kubeconfig");
            }

            user = (named.Entry.User, named.Dir);
        }

        return Build(contextName, ctx.Entry.Context.Namespace, cluster.Entry.Cluster, cluster.Dir, user.User, user.Dir);
    }

    /// <summary>True when a kubeconfig would be found (so <see cref="Load"/> is the right choice over in-cluster).</summary>
    public static bool IsAvailable(string? kubeconfigPath = null, Func<string, string?>? environment = null) =>
        FilesToRead(kubeconfigPath, environment ?? Environment.GetEnvironmentVariable).Any();

    private static IEnumerable<string> FilesToRead(string? explicitPath, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            // An explicit file must exist; kubectl fails rather than falling back.
            if (!File.Exists(explicitPath))
            {
                throw new KubeConfigException($"kubeconfig {explicitPath} does not exist");
            }

            yield return Path.GetFullPath(explicitPath);
            yield break;
        }

        var list = environment("KUBECONFIG");
        if (!string.IsNullOrEmpty(list))
        {
            // Missing files in KUBECONFIG are skipped, duplicates read once.
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
            {
                if (File.Exists(path))
                {
                    yield return path;
                }
            }

            yield break;
        }

        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var fallback = Path.Combine(home, ".kube", "config");
        if (File.Exists(fallback))
        {
            yield return fallback;
        }
    }

    /// <summary>
    /// YAML -> JSON -> <see cref="KubeConfigFile"/>, as kubectl reads it (and without reflection). Unknown fields are
    /// ignored; a field of the wrong shape names its line.
    /// </summary>
    private static KubeConfigFile Read(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(File.ReadAllText(path));
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"kubeconfig {path} is not valid: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new KubeConfigFile();
        }

        var json = YamlJsonWriter.Convert(stream.Documents[0].RootNode, YamlJsonWriter.ScalarTyping.NullOrString);
        if (json.Error is not null)
        {
            throw new KubeConfigException($"kubeconfig {path} is not valid: line {json.ErrorMark.Line}: {json.Error}");
        }

        try
        {
            return JsonSerializer.Deserialize(json.Json, KubeConfigJsonContext.Default.KubeConfigFile) ?? new KubeConfigFile();
        }
        catch (JsonException e)
        {
            var field = JsonErrorText.Field(e.Path);
            throw new KubeConfigException($"kubeconfig {path} is not valid: line {json.MarkOf(field).Line}: {JsonErrorText.Describe(field, e.Message)}", e);
        }
    }

    private static KubernetesClientConfiguration Build(string contextName, string? ns, ClusterEntry cluster, string clusterDir, UserEntry? user, string userDir)
    {
        if (string.IsNullOrEmpty(cluster.Server) || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server))
        {
            throw new KubeConfigException($"context \"{contextName}\": cluster server \"{cluster.Server}\" is not an absolute URL");
        }

        var caPem = !string.IsNullOrEmpty(cluster.CertificateAuthorityData)
            ? PemCertificates.DecodeData(cluster.CertificateAuthorityData, "certificate-authority-data")
            : !string.IsNullOrEmpty(cluster.CertificateAuthority) ? ReadFile(Resolve(clusterDir, cluster.CertificateAuthority), "certificate-authority") : null;

        Uri? proxy = null;
        if (!string.IsNullOrEmpty(cluster.ProxyUrl) && !Uri.TryCreate(cluster.ProxyUrl, UriKind.Absolute, out proxy))
        {
            throw new KubeConfigException($"context \"{contextName}\": proxy-url \"{cluster.ProxyUrl}\" is not an absolute URL");
        }

        return new KubernetesClientConfiguration
        {
            Server = server,
            ProxyUrl = proxy,
            CertificateAuthorities = caPem is null ? null : PemCertificates.LoadAuthorities(caPem),
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName,
            Credentials = user is null ? AnonymousCredentialProvider.Instance : BuildCredentials(contextName, user, userDir, server, cluster.CertificateAuthorityData),
            Namespace = string.IsNullOrEmpty(ns) ? "default" : ns,
            ContextName = contextName,
        };
    }

    private static ICredentialProvider BuildCredentials(string contextName, UserEntry user, string dir, Uri server, string? caData)
    {
        // Refused rather than ignored: ignoring them would connect anonymously and fail later with a puzzling 401 or 403.
        if (user.AuthProvider is { } provider)
        {
            throw new KubeConfigException($"context \"{contextName}\": auth-provider \"{provider.Name}\" is not supported (kubectl dropped auth providers in 1.26); use an exec credential plugin (e.g. gke-gcloud-auth-plugin, kubelogin), a token or a client certificate");
        }

        if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
        {
            throw new KubeConfigException($"context \"{contextName}\": username/password (basic authentication) is not supported (Kubernetes removed it in 1.19); use a token, a client certificate or an exec credential plugin");
        }

        var certPem = !string.IsNullOrEmpty(user.ClientCertificateData)
            ? PemCertificates.DecodeData(user.ClientCertificateData, "client-certificate-data")
            : !string.IsNullOrEmpty(user.ClientCertificate) ? ReadFile(Resolve(dir, user.ClientCertificate), "client-certificate") : null;
        var keyPem = !string.IsNullOrEmpty(user.ClientKeyData)
            ? PemCertificates.DecodeData(user.ClientKeyData, "client-key-data")
            : !string.IsNullOrEmpty(user.ClientKey) ? ReadFile(Resolve(dir, user.ClientKey), "client-key") : null;
        if ((certPem is null) != (keyPem is null))
        {
            throw new KubeConfigException($"context \"{contextName}\": a client certificate needs both the certificate and the key");
        }

        var certificate = certPem is null ? null : PemCertificates.LoadClientCertificate(certPem, keyPem!);

        if (user.Exec is { } exec)
        {
            if (string.IsNullOrEmpty(exec.Command))
            {
                throw new KubeConfigException($"context \"{contextName}\": exec has no command");
            }

            var apiVersion = exec.ApiVersion ?? string.Empty;
            if (string.Equals(exec.InteractiveMode, "Always", StringComparison.Ordinal))
            {
                throw new KubeConfigException($"context \"{contextName}\": exec plugin {exec.Command} needs a terminal (interactiveMode: Always), which a server does not have");
            }

            if (apiVersion is not (ExecCredentialProvider.V1 or ExecCredentialProvider.V1Beta1))
            {
                throw new KubeConfigException($"context \"{contextName}\": exec apiVersion \"{apiVersion}\" is not supported (use {ExecCredentialProvider.V1})");
            }

            return new ExecCredentialProvider(new ExecPluginSettings
            {
                // kubectl resolves a command with a path separator against the kubeconfig folder, and bare names on PATH.
                Command = exec.Command.Contains('/', StringComparison.Ordinal) ? Resolve(dir, exec.Command) : exec.Command,
                Args = exec.Args ?? [],
                Environment = (exec.Env ?? []).Where(e => !string.IsNullOrEmpty(e.Name)).ToDictionary(e => e.Name!, e => e.Value ?? string.Empty, StringComparer.Ordinal),
                ApiVersion = apiVersion,
                InstallHint = exec.InstallHint,
                ProvideClusterInfo = exec.ProvideClusterInfo,
                ClusterServer = server,
                ClusterCertificateAuthorityData = caData,
            });
        }

        if (!string.IsNullOrEmpty(user.Token))
        {
            return new StaticCredentialProvider(new KubernetesCredentials(user.Token.Trim(), certificate));
        }

        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            return new TokenFileCredentialProvider(Resolve(dir, user.TokenFile), certificate);
        }

        return certificate is null ? AnonymousCredentialProvider.Instance : new StaticCredentialProvider(new KubernetesCredentials(null, certificate));
    }

    private static string Resolve(string dir, string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(dir, path));

    private static string ReadFile(string path, string field)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new KubeConfigException($"{field} {path} cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KubeConfigException($"{field} {path} cannot be read: {e.Message}", e);
        }
    }

    private sealed class MergedConfig
    {
        public int FileCount { get; private set; }

        public string? CurrentContext { get; private set; }

        public Dictionary<string, (NamedCluster Entry, string Dir)> Clusters { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (NamedUser Entry, string Dir)> Users { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (NamedContext Entry, string Dir)> Contexts { get; } = new(StringComparer.Ordinal);

        public void Add(string path, KubeConfigFile file)
        {
            FileCount++;
            var dir = Path.GetDirectoryName(path) ?? ".";
            if (CurrentContext is null && !string.IsNullOrEmpty(file.CurrentContext))
            {
                CurrentContext = file.CurrentContext;
            }

            foreach (var c in file.Clusters ?? [])
            {
                if (c.Name is not null)
                {
                    Clusters.TryAdd(c.Name, (c, dir));
                }
            }

            foreach (var u in file.Users ?? [])
            {
                if (u.Name is not null)
                {
                    Users.TryAdd(u.Name, (u, dir));
                }
            }

            foreach (var c in file.Contexts ?? [])
            {
                if (c.Name is not null)
                {
                    Contexts.TryAdd(c.Name, (c, dir));
                }
            }
        }
    }
}
