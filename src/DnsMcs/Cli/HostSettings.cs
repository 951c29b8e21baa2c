using System.Net;
using DnsMcs.Configuration;

namespace DnsMcs.Cli;

/// <summary>What <c>controller</c> and <c>probe</c> are told about their process rather than their work: log format, /health and /ready.</summary>
internal sealed record HostSettings(LogFormat LogFormat, IPEndPoint? Health = null, IPEndPoint? Ready = null);
