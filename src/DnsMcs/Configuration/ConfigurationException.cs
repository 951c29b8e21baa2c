namespace DnsMcs.Configuration;

/// <summary>A configuration error with the place it was found: "Corefile:3:5: unknown directive 'foo'".</summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(string file, int line, int column, string reason)
        : base($"{file}:{line}:{column}: {reason}")
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public ConfigurationException()
        : this("<unknown>", 0, 0, "configuration error")
    {
    }

    public ConfigurationException(string message)
        : this("<unknown>", 0, 0, message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "<unknown>";
        Reason = message;
    }

    public string File { get; }

    public int Line { get; }

    public int Column { get; }

    public string Reason { get; }
}
