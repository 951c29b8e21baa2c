using System.Security.Cryptography;
using System.Text;

namespace DnsMcs.Controller.Sync;

/// <summary>
/// Names of the objects the controller creates. Deterministic, so every controller instance (and a
/// restarted one) finds the objects it made instead of creating twins.
/// </summary>
internal static class DerivedNames
{
    /// <summary>"derived-" and 12 hex digits of SHA-256(namespace/name): 20 characters, a valid DNS label.</summary>
    public static string Service(string ns, string name) => "derived-" + Hash($"{ns}/{name}", 12);

    /// <summary>One mirrored slice per source slice: the derived name plus a hash of (cluster, source slice).</summary>
    public static string Slice(string derivedService, string cluster, string sourceSlice) => $"{derivedService}-{Hash($"{cluster}/{sourceSlice}", 10)}";

    private static string Hash(string text, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
