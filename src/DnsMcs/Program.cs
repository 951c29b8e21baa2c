using System.CommandLine;
using DnsMcs.Cli;

namespace DnsMcs;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("DnsMcs: an authoritative DNS server for Kubernetes Multi-Cluster Services (clusterset.local).")
        {
            ServeCommand.Create(), ExplainCommand.Create(), ControllerCommand.Create(), ProbeCommand.Create(),
        };

        // The Generic Host handles SIGTERM and Ctrl-C itself (graceful stop, exit 0); System.CommandLine's own
        // handler would race it and force an exit after two seconds.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
