namespace DnsMcs.Configuration;

internal enum CorefileTokenKind
{
    Word,
    OpenBrace,
    CloseBrace,
    EndOfLine,
}

/// <summary>One token with the 1-based line and column where it starts.</summary>
internal readonly record struct CorefileToken(CorefileTokenKind Kind, string Text, int Line, int Column)
{
    public override string ToString() => Kind switch
    {
        CorefileTokenKind.EndOfLine => "end of line",
        _ => $"'{Text}'",
    };
}
