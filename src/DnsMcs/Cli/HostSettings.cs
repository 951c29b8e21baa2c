using System.Net;
using DnsMcs.Configuration;

namespace DnsMcs.Cli;

/// <summary>What <c>controller</c> and <c>probe</c> are told about their process rather than their work: log format, /health, /ready and /metrics.</summary>
internal sealed record HostSettings(LogFormat LogFormat, IPEndPoint? Health = null, IPEndPoint? Ready = null, IPEndPoint? Metrics = null);
