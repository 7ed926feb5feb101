using System.Text.RegularExpressions;

namespace Assay.Datasets.Formats;

/// <summary>
/// Chat models wrap code in Markdown fences. When a sample contains a fenced block, the code is the first
/// block tagged with the problem's language, else the first untagged block, else the first block of any tag.
/// A sample without fences is used as it is.
/// </summary>
public static partial class CodeFences
{
    [GeneratedRegex(@"```[ \t]*([A-Za-z0-9_+#.-]*)[^\n]*\n(.*?)(?:```|\z)", RegexOptions.Singleline)]
    private static partial Regex FencePattern();

    private static readonly Dictionary<string, string[]> Tags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["python"] = ["python", "py", "python3"],
        ["cpp"] = ["cpp", "c++", "cc", "cxx"],
        ["javascript"] = ["javascript", "js"],
        ["typescript"] = ["typescript", "ts"],
        ["java"] = ["java"],
        ["csharp"] = ["csharp", "cs", "c#"],
        ["go"] = ["go", "golang"],
        ["rust"] = ["rust", "rs"],
    };

    public static string Extract(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("```", StringComparison.Ordinal)) return text;
        var blocks = FencePattern().Matches(text).Select(m => (Tag: m.Groups[1].Value, Code: m.Groups[2].Value)).ToList();
        if (blocks.Count == 0) return text;
        var tags = Tags.GetValueOrDefault(language) ?? [language];
        var chosen = blocks.FirstOrDefault(b => tags.Contains(b.Tag, StringComparer.OrdinalIgnoreCase));
        if (chosen.Code is null) chosen = blocks.FirstOrDefault(b => b.Tag.Length == 0);
        if (chosen.Code is null) chosen = blocks[0];
        return chosen.Code;
    }
}
