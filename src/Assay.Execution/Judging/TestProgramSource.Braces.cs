namespace Assay.Execution.Judging;

public static partial class TestProgramSource
{
    /// <summary>Brace matching in C-like text (the benchmark's own test programs), skipping strings, characters and comments.</summary>
    private static class CFamily
    {
        public static int MatchingBrace(string text, int open)
        {
            var depth = 0;
            for (var i = open; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    i = text.IndexOf('\n', i);
                    if (i < 0) return -1;
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    i = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (i < 0) return -1;
                    i++;
                }
                else if (c is '"' or '\'')
                {
                    for (i++; i < text.Length && text[i] != c; i++)
                    {
                        if (text[i] == '\\') i++;
                    }
                }
                else if (c == '{') depth++;
                else if (c == '}' && --depth == 0) return i;
            }
            return -1;
        }
    }
}
