using System.Text;

namespace DnsMcs.Kubernetes.Client;

internal sealed class QueryBuilder
{
    private readonly StringBuilder _query = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (value is not null)
        {
            _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public override string ToString() => _query.ToString();
}
