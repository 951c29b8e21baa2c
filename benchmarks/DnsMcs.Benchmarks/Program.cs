using BenchmarkDotNet.Running;

namespace DnsMcs.Benchmarks;

/// <summary>
/// dotnet run -c Release --project benchmarks/DnsMcs.Benchmarks -- [BenchmarkDotNet args]
/// dotnet run -c Release --project benchmarks/DnsMcs.Benchmarks -- load [services] [endpointsPerService]
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "load")
        {
            var services = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
            var perService = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
            IndexLoadMeasurement.Run(services, perService);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
