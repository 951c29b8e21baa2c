namespace DnsMcs.Benchmarks;

public static class Program
{
    public static void Main()
    {
    }
}
