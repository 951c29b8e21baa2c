using DnsMcs.Zone.Explain;
using Microsoft.AspNetCore.Http;

namespace DnsMcs.Explain;

/// <summary>
/// /debug/explain?name=…&amp;type=… on the metrics listener, off unless <c>--debug</c> or the Corefile's <c>debug</c>
/// turns it on: the JSON of <c>dnsmcs explain --output json</c>, from the running server's own index and responder.
/// </summary>
internal sealed class ExplainEndpoint(NameExplainer explainer)
{
    public const string Path = "/debug/explain";

    /// <summary>200 with the explanation; 400 with <c>{"error": …}</c> for a missing or malformed name or type.</summary>
    public (int Status, string Json) Handle(string? name, string? type)
    {
        if (!NameExplainer.TryCheckName(name, out var nameError))
        {
            return (StatusCodes.Status400BadRequest, ExplanationJson.Error($"name: {nameError}"));
        }

        if (!NameExplainer.TryParseType(type, out var recordType, out var typeError))
        {
            return (StatusCodes.Status400BadRequest, ExplanationJson.Error($"type: {typeError}"));
        }

        return (StatusCodes.Status200OK, ExplanationJson.Write(explainer.Explain(name!, recordType)));
    }
}
