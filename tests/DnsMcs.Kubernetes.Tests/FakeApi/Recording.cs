using System.Text.Json.Nodes;

namespace DnsMcs.Kubernetes.Tests.FakeApi;

/// <summary>
/// One answer recorded from a real kube-apiserver v1.32 (Recordings/*.txt, from shared/kube-api):
/// "# METHOD PATH", the status line, the headers that matter, a blank line, the body.
/// </summary>
internal sealed record Recording(string Method, string Path, int StatusCode, IReadOnlyList<(string Name, string Value)> Headers, JsonObject? Body)
{
    public static Recording Load(string file)
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(AppContext.BaseDirectory, "Recordings", file));
        var request = lines[0]["# ".Length..].Split(' ', 2);
        var status = int.Parse(lines[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new List<(string, string)>();
        var i = 2;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add((lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
        }

        var body = string.Join('\n', lines.Skip(i + 1)).Trim();
        return new Recording(request[0], request[1], status, headers, body.Length == 0 ? null : JsonNode.Parse(body)!.AsObject());
    }

    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
