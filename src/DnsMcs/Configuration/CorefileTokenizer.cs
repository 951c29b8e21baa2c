using System.Text;

namespace DnsMcs.Configuration;

/// <summary>
/// Splits Corefile text into tokens the way CoreDNS's Caddyfile lexer does: words separated by blanks, line
/// ends significant (a directive and its arguments share one line), <c>#</c> starting a comment at the start
/// of a token, double-quoted strings with backslash escapes, and a standalone <c>{</c> or <c>}</c> as a brace.
/// <c>{$NAME}</c> inside a word is replaced by the environment variable NAME, as in CoreDNS.
/// </summary>
internal static class CorefileTokenizer
{
    public static List<CorefileToken> Tokenize(string text, string file, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var tokens = new List<CorefileToken>();
        var line = 1;
        var column = 1;
        var i = 0;

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                tokens.Add(new CorefileToken(CorefileTokenKind.EndOfLine, "\n", line, column));
                line++;
                column = 1;
                i++;
                continue;
            }

            if (c is ' ' or '\t' or '\r')
            {
                i++;
                column++;
                continue;
            }

            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            var startColumn = column;
            var word = new StringBuilder();
            var quoted = false;
            if (c == '"')
            {
                quoted = true;
                i++;
                column++;
                while (true)
                {
                    if (i >= text.Length || text[i] == '\n')
                    {
                        throw new ConfigurationException(file, line, startColumn, "unterminated quoted string");
                    }

                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                    {
                        word.Append(text[i + 1]);
                        i += 2;
                        column += 2;
                        continue;
                    }

                    if (text[i] == '"')
                    {
                        i++;
                        column++;
                        break;
                    }

                    word.Append(text[i]);
                    i++;
                    column++;
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (' ' or '\t' or '\r' or '\n'))
                {
                    word.Append(text[i]);
                    i++;
                    column++;
                }
            }

            var value = word.ToString();
            var kind = !quoted && value == "{" ? CorefileTokenKind.OpenBrace
                : !quoted && value == "}" ? CorefileTokenKind.CloseBrace
                : CorefileTokenKind.Word;
            if (kind == CorefileTokenKind.Word)
            {
                value = Substitute(value, environment, file, line, startColumn);
            }

            tokens.Add(new CorefileToken(kind, value, line, startColumn));
        }

        return tokens;
    }

    private static string Substitute(string word, Func<string, string?> environment, string file, int line, int column)
    {
        var start = word.IndexOf("{$", StringComparison.Ordinal);
        if (start < 0)
        {
            return word;
        }

        var result = new StringBuilder();
        var position = 0;
        while (start >= 0)
        {
            var end = word.IndexOf('}', start);
            if (end < 0)
            {
                throw new ConfigurationException(file, line, column + start, "unterminated environment reference '{$'");
            }

            var name = word[(start + 2)..end];
            var value = environment(name)
                ?? throw new ConfigurationException(file, line, column + start, $"environment variable '{name}' is not set");
            result.Append(word, position, start - position).Append(value);
            position = end + 1;
            start = word.IndexOf("{$", position, StringComparison.Ordinal);
        }

        return result.Append(word, position, word.Length - position).ToString();
    }
}
