using System.Net;
using DnsMcs.Configuration;

namespace DnsMcs.Tests.Configuration;

public sealed class CorefileParserTests
{
    private const string Base = "/etc/dnsmcs";

    public static TheoryData<string, string> Errors => new()
    {
        // text                                                               expected "line:column: reason" start
        { "", "1:1: no server block" },
        { "# only a comment\n", "1:1: no server block" },
        { "clusterset.local:53\n{\n}", "1:20: expected '{' after the server block key" },
        { "clusterset.local:53 {\n  ttl 5\n", "1:21: '{' is never closed" },
        { "clusterset.local:53 {\n  foo bar\n}", "2:3: unknown directive 'foo'" },
        { "clusterset.local:53 {\n  TTL 5\n}", "2:3: unknown directive 'TTL'; did you mean 'ttl'?" },
        { "clusterset.local:53 {\n  ttl 5\n  ttl 6\n}", "3:3: duplicate directive 'ttl' (first at 2:3)" },
        { "clusterset.local:53 {\n  ttl\n}", "2:3: ttl: missing argument" },
        { "clusterset.local:53 {\n  ttl five\n}", "2:7: ttl: 'five' is not a number of seconds" },
        { "clusterset.local:53 {\n  ttl 3601\n}", "2:7: ttl: '3601' is not a number of seconds" },
        { "clusterset.local:53 {\n  ttl 5 6\n}", "2:9: ttl: unexpected argument '6'" },
        { "clusterset.local:53 {\n  log stdout\n}", "2:7: log: unexpected argument 'stdout'" },
        { "clusterset.local:53 {\n  debug on\n}", "2:9: debug: unexpected argument 'on'" },
        { "clusterset.local:53 {\n  prometheus 9153\n}", "2:14: '9153': a port is required" },
        { "clusterset.local:53 {\n  prometheus example.com:9153\n}", "2:14: 'example.com:9153': 'example.com' is not an IP address" },
        { "clusterset.local:53 {\n  ready :99999\n}", "2:9: ':99999': '99999' is not a port number" },
        { "clusterset.local:53 {\n  health :8080 {\n    lameduck 5\n  }\n}", "3:14: lameduck: '5' is not a positive duration" },
        { "clusterset.local:53 {\n  health {\n    slow 5s\n  }\n}", "3:5: health: unknown property 'slow'" },
        { "clusterset.local:53 {\n  health {\n    lameduck 5s\n    lameduck 6s\n  }\n}", "4:5: duplicate property 'lameduck' (first at 3:5)" },
        { "clusterset.local:53 {\n  ready {\n  }\n}", "2:3: 'ready' takes no block" },
        { "clusterset.local:53 {\n  timeouts\n}", "2:3: timeouts: expected a block" },
        { "clusterset.local:53 {\n  timeouts {\n    read 5s\n  }\n}", "3:5: timeouts: unknown property 'read' (known: idle)" },
        { "clusterset.local:53 {\n  timeouts {\n    idle 500ms\n  }\n}", "3:10: idle: '500ms' is not a duration from 1s to 1h" },
        { "clusterset.local:53 {\n  timeouts {\n    idle 10\n  }\n}", "3:10: idle: '10' is not a duration" },
        { "clusterset.local:53 {\n  tcp_max_connections 0\n}", "2:23: tcp_max_connections: '0' is not a count from 1 to 1000000" },
        { "clusterset.local:53 {\n  tcp_max_connections\n}", "2:3: tcp_max_connections: missing argument" },
        { "clusterset.local:53 {\n  reload 1s\n}", "2:10: reload: interval '1s' must be a duration of at least 2s" },
        { "clusterset.local:53 {\n  reload 10s 6s\n}", "2:14: reload: jitter '6s' must be a duration from 1s" },
        { "clusterset.local:53 {\n  bind eth0\n}", "2:8: bind: 'eth0' is not an IP address" },
        { "clusterset.local:53 {\n  ns_address 10.0.0.1 ns.example\n}", "2:23: ns_address: 'ns.example' is not an IP address" },
        { "clusterset.local:53 {\n  ns_address\n}", "2:3: ns_address: missing argument" },
        { "clusterset.local:53 {\n  member East_1 /k\n}", "2:10: member: 'East_1' is not a cluster id" },
        { "clusterset.local:53 {\n  member a.b.c /k\n}", "2:10: member: 'a.b.c' is not a cluster id" },
        { "clusterset.local:53 {\n  member east /a\n  member east /b\n}", "3:10: member: duplicate cluster 'east'" },
        { "clusterset.local:53 {\n  member east /a\n  kubeconfig /k\n}", "3:3: 'kubeconfig' (distributed mode) and 'member' (centralized mode) cannot be combined" },
        { "a.local b.local {\n}", "1:9: several zones in one server block are not supported" },
        { "a.local,b.local {\n}", "1:1: several zones in one server block are not supported" },
        { "clusterset.local {\n}\nother.local {\n}", "3:1: only one server block is supported" },
        { "tls://clusterset.local {\n}", "1:1: 'tls://' servers are not supported" },
        { "clusterset.local:0 {\n}", "1:1: '0' is not a port number" },
        { ". {\n}", "1:1: '.': the zone must not be empty" },
        { "clu_ster.local {\n}", "1:1: 'clu_ster.local': 'clu_ster.local' is not a DNS name" },
        { "clusterset.local {\n  {\n}", "2:3: unexpected '{'" },
        { "clusterset.local {\n  manifests \"/a b\n}", "2:13: unterminated quoted string" },
        { "clusterset.local {\n  kubeconfig {$DNSMCS_TEST_UNSET_VARIABLE}\n}", "2:14: environment variable 'DNSMCS_TEST_UNSET_VARIABLE' is not set" },
        { "clusterset.local {\n  health {\n    lameduck 5s {\n  }\n}", "3:17: unexpected '{': blocks nest only one level" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_BadFile_ThrowsWithLineAndColumn(string text, string expected)
    {
        var exception = Assert.Throws<ConfigurationException>(() => CorefileParser.Parse(text, "Corefile", Base, _ => null));

        Assert.StartsWith("Corefile:" + expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FullFile_ReadsEveryDirective()
    {
        const string Text = """
            # DnsMcs for the clusterset
            dns://ClusterSet.Local.:1053 {
                bind 10.0.0.5 fd00::5
                ttl 30                      # seconds
                prometheus 127.0.0.1:9253
                health :8081 {
                    lameduck 5s
                }
                ready [::]:8182
                log
                errors
                reload 10s 2s
                manifests "manifests dir"
                ns_address 10.96.0.53 fd00::53
            }
            """;

        var configuration = CorefileParser.Parse(Text, "Corefile", Base, _ => null);

        Assert.Equal("clusterset.local", configuration.Zone);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.5"), 1053), new IPEndPoint(IPAddress.Parse("fd00::5"), 1053)], configuration.Listen);
        Assert.Equal(30u, configuration.Ttl);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9253), configuration.Metrics);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8081), configuration.Health);
        Assert.Equal(TimeSpan.FromSeconds(5), configuration.Lameduck);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 8182), configuration.Ready);
        Assert.True(configuration.LogQueries);
        Assert.True(configuration.LogErrors);
        Assert.Equal(TimeSpan.FromSeconds(10), configuration.ReloadInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), configuration.ReloadJitter);
        Assert.Equal([new SourceConfiguration(SourceKind.Manifests, "manifests", Path.GetFullPath("/etc/dnsmcs/manifests dir"))], configuration.Sources);
        Assert.Equal([IPAddress.Parse("10.96.0.53"), IPAddress.Parse("fd00::53")], configuration.NameServerAddresses);
    }

    [Fact]
    public void Parse_MinimalBlock_UsesCoreDnsMeaningOfAbsentDirectives()
    {
        var configuration = CorefileParser.Parse("clusterset.local {\n}\n", "Corefile", Base);

        Assert.Equal("clusterset.local", configuration.Zone);
        Assert.Equal([new IPEndPoint(IPAddress.Any, 53), new IPEndPoint(IPAddress.IPv6Any, 53)], configuration.Listen);
        Assert.Equal(5u, configuration.Ttl);
        Assert.Null(configuration.Metrics);
        Assert.Null(configuration.Health);
        Assert.Null(configuration.Ready);
        Assert.Null(configuration.ReloadInterval);
        Assert.False(configuration.LogQueries);
        Assert.False(configuration.LogErrors);
        Assert.False(configuration.Debug);
        Assert.Empty(configuration.Sources);
    }

    // Rows hold object because ServeConfiguration is internal and a public test method cannot name it.
    public static TheoryData<string, object> Snippets => new()
    {
        { "prometheus", new ServeConfiguration { Metrics = new IPEndPoint(IPAddress.Any, 9153) } },
        { "health", new ServeConfiguration { Health = new IPEndPoint(IPAddress.Any, 8080) } },
        { "ready localhost:8181", new ServeConfiguration { Ready = new IPEndPoint(IPAddress.Loopback, 8181) } },
        { "reload", new ServeConfiguration { ReloadInterval = TimeSpan.FromSeconds(30), ReloadJitter = TimeSpan.FromSeconds(15) } },
        { "reload 4s", new ServeConfiguration { ReloadInterval = TimeSpan.FromSeconds(4), ReloadJitter = TimeSpan.FromSeconds(2) } },
        { "reload 1m30s", new ServeConfiguration { ReloadInterval = TimeSpan.FromSeconds(90), ReloadJitter = TimeSpan.FromSeconds(15) } },
        { "kubeconfig", new ServeConfiguration { Sources = [new(SourceKind.Kubernetes, "kubernetes", null)] } },
        { "kubeconfig kube/config prod", new ServeConfiguration { Sources = [new(SourceKind.Kubernetes, "kubernetes", Path.GetFullPath("/etc/dnsmcs/kube/config"), "prod")] } },
        { "kubeconfig {$DNSMCS_KUBECONFIG}", new ServeConfiguration { Sources = [new(SourceKind.Kubernetes, "kubernetes", "/var/run/kubeconfig")] } },
        {
            "member east /m/east.yaml\nmember west.eu /m/west.yaml admin",
            new ServeConfiguration
            {
                Sources = [new(SourceKind.Member, "east", Path.GetFullPath("/m/east.yaml")), new(SourceKind.Member, "west.eu", Path.GetFullPath("/m/west.yaml"), "admin")],
            }
        },
        { "ttl 0", new ServeConfiguration { Ttl = 0 } },
        { "ttl 3600", new ServeConfiguration { Ttl = 3600 } },
        { "debug", new ServeConfiguration { Debug = true } },
        { "timeouts {\n  idle 1m\n}", new ServeConfiguration { TcpIdleTimeout = TimeSpan.FromMinutes(1) } },
        { "tcp_max_connections 50", new ServeConfiguration { MaxTcpConnections = 50 } },
    };

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Parse_Directive_SetsItsSetting(string directives, object expectedConfiguration)
    {
        var expected = (ServeConfiguration)expectedConfiguration;
        var environment = new Dictionary<string, string> { ["DNSMCS_KUBECONFIG"] = "/var/run/kubeconfig" };

        var configuration = CorefileParser.Parse($"clusterset.local {{\n{directives}\n}}\n", "Corefile", Base, environment.GetValueOrDefault);

        Assert.Equal(expected.Metrics, configuration.Metrics);
        Assert.Equal(expected.Health, configuration.Health);
        Assert.Equal(expected.Ready, configuration.Ready);
        Assert.Equal(expected.ReloadInterval, configuration.ReloadInterval);
        Assert.Equal(expected.ReloadJitter, configuration.ReloadJitter);
        Assert.Equal(expected.Sources, configuration.Sources);
        Assert.Equal(expected.Ttl, configuration.Ttl);
        Assert.Equal(expected.Debug, configuration.Debug);
        Assert.Equal(expected.TcpIdleTimeout, configuration.TcpIdleTimeout);
        Assert.Equal(expected.MaxTcpConnections, configuration.MaxTcpConnections);
    }

    [Theory]
    [InlineData("clusterset.local { log }", true)]
    [InlineData("clusterset.local {\r\n  log\r\n}\r\n", true)]
    [InlineData("clusterset.local {\n  errors # log only failures\n}", false)]
    public void Parse_Layout_AcceptsOneLineAndCrlf(string text, bool logQueries)
    {
        var configuration = CorefileParser.Parse(text, "Corefile", Base);

        Assert.Equal(logQueries, configuration.LogQueries);
    }

    [Fact]
    public void ParseFile_RelativePaths_ResolveFromTheFilesFolder()
    {
        var folder = Directory.CreateTempSubdirectory("dnsmcs-corefile-");
        try
        {
            var path = Path.Combine(folder.FullName, "Corefile");
            File.WriteAllText(path, "clusterset.local:5353 {\n  manifests ./examples\n}\n");

            var configuration = CorefileParser.ParseFile(path);

            Assert.Equal(path, configuration.ConfigFile);
            Assert.Equal(Path.Combine(folder.FullName, "examples"), configuration.Sources.Single().Path);
            Assert.All(configuration.Listen, endpoint => Assert.Equal(5353, endpoint.Port));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_RepositoryExampleCorefiles_Parse()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "deploy"), "Corefile", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var configuration = CorefileParser.Parse(File.ReadAllText(file), file, Path.GetDirectoryName(file), _ => "10.0.0.1");
            Assert.Equal("clusterset.local", configuration.Zone);
        }
    }

    [Fact]
    public void ParseFile_DnsMcsExampleCorefile_ServesTheExampleClusterSetLocally()
    {
        var root = RepositoryRoot();

        var configuration = CorefileParser.ParseFile(Path.Combine(root, "Corefile.dnsmcs.example"));

        Assert.Equal("clusterset.local", configuration.Zone);
        Assert.All(configuration.Listen, endpoint => Assert.True(IPAddress.IsLoopback(endpoint.Address) && endpoint.Port == 5353, endpoint.ToString()));
        var source = Assert.Single(configuration.Sources);
        Assert.Equal(SourceKind.Manifests, source.Kind);
        Assert.Equal(Path.Combine(root, "examples", "clusterset"), Path.TrimEndingDirectorySeparator(Path.GetFullPath(source.Path!)));
        Assert.True(Directory.Exists(source.Path));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DnsMcs.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DnsMcs.sln not found above " + AppContext.BaseDirectory);
    }
}
