using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// RBAC for the fake: per identity (a bearer token, a client certificate's common name, or
/// "system:anonymous"), the rules it is allowed, as ClusterRole/Role rules. An identity with no
/// rules may do nothing; anything else is 403 Forbidden with the real server's message. Rules can
/// come from the project's manifests (<see cref="ControllerManifests"/>) so tests check what deploy/ grants.
/// </summary>
public sealed class FakeRbac
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<Rule>> _rules = new(StringComparer.Ordinal);

    /// <summary>deploy/controller's ClusterRole and leader-election Role, as shipped.</summary>
    public static string ControllerManifests { get; } = Embedded("rbac/controller-clusterrole.yaml") + "\n---\n" + Embedded("rbac/controller-leader-election-role.yaml");

    /// <summary>Allows <paramref name="verbs"/> on <paramref name="resources"/> ("*" for any) of <paramref name="groups"/>, in <paramref name="ns"/> only when given.</summary>
    public FakeRbac Allow(string user, IEnumerable<string> groups, IEnumerable<string> resources, IEnumerable<string> verbs, string? ns = null)
    {
        _rules.GetOrAdd(user, _ => []).Add(new Rule([.. groups], [.. resources], [.. verbs], ns));
        return this;
    }

    /// <summary>
    /// Every rule of the ClusterRoles and Roles in <paramref name="yaml"/>; a Role's rules hold in its
    /// namespace only, or in <paramref name="roleNamespace"/> when given (a Role bound elsewhere).
    /// </summary>
    public FakeRbac AllowManifests(string user, string yaml, string? roleNamespace = null)
    {
        foreach (var document in YamlJson.Documents(yaml))
        {
            var kind = document["kind"]?.GetValue<string>();
            if (kind is not ("ClusterRole" or "Role"))
            {
                continue;
            }

            var ns = kind == "Role" ? roleNamespace ?? document["metadata"]?["namespace"]?.GetValue<string>() : null;
            foreach (var rule in document["rules"]?.AsArray() ?? [])
            {
                Allow(user, Strings(rule, "apiGroups"), Strings(rule, "resources"), Strings(rule, "verbs"), ns);
            }
        }

        return this;
    }

    internal bool Allows(string user, string verb, string group, string resource, string? ns) =>
        _rules.TryGetValue(user, out var rules) && rules.Any(r =>
            (r.Groups.Contains(group) || r.Groups.Contains("*"))
            && (r.Resources.Contains(resource) || r.Resources.Contains("*"))
            && (r.Verbs.Contains(verb) || r.Verbs.Contains("*"))
            && (r.Namespace is null || string.Equals(r.Namespace, ns, StringComparison.Ordinal)));

    internal static FakeApiException Forbidden(string user, string verb, string group, string resource, string? ns, string? name)
    {
        var plural = resource.Split('/')[0];
        var what = group.Length == 0 ? plural : $"{plural}.{group}";
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var details = new JsonObject();
        if (name is not null)
        {
            details["name"] = name;
        }

        details["group"] = group;
        details["kind"] = plural;
        if (group.Length == 0)
        {
            details.Remove("group");
        }

        var subject = name is null ? what : $"{what} \"{name}\"";
        return new FakeApiException(403, "Forbidden", $"{subject} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" {scope}", details);
    }

    private static List<string> Strings(JsonNode? node, string field) => [.. node?[field]?.AsArray().Select(v => v!.GetValue<string>()) ?? []];

    private static string Embedded(string name)
    {
        using var stream = typeof(FakeRbac).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record Rule(HashSet<string> Groups, HashSet<string> Resources, HashSet<string> Verbs, string? Namespace);
}
