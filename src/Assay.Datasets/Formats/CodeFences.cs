using Assay.Core.Languages;
using System.Text.RegularExpressions;

namespace Assay.Datasets.Formats;

/// <summary>
/// Chat models wrap code in Markdown fences. When a sample contains a fenced block, the code is the first block
/// tagged with one of the language's fence tags (`fence_tags` in its toolchain file), else the first untagged block,
/// else the first block of any tag. A sample without fences is used as it is.
/// </summary>
public static partial class CodeFences
{
    [GeneratedRegex(@"```[ \t]*([A-Za-z0-9_+#.-]*)[^\n]*\n(.*?)(?:```|\z)", RegexOptions.Singleline)]
    private static partial Regex FencePattern();

    /// <summary>The code in <paramref name="text"/> written in <paramref name="language"/>.</summary>
    public static string Extract(string text, Language language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return Extract(text, language.EffectiveFenceTags);
    }

    /// <summary>The code in <paramref name="text"/> for a language whose fences carry one of <paramref name="tags"/> (the language's `fence_tags`).</summary>
    public static string Extract(string text, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tags);
        if (!text.Contains("```", StringComparison.Ordinal)) return text;
        var blocks = FencePattern().Matches(text).Select(m => (Tag: m.Groups[1].Value, Code: m.Groups[2].Value)).ToList();
        if (blocks.Count == 0) return text;
        var chosen = blocks.FirstOrDefault(b => tags.Contains(b.Tag, StringComparer.OrdinalIgnoreCase));
        if (chosen.Code is null) chosen = blocks.FirstOrDefault(b => b.Tag.Length == 0);
        if (chosen.Code is null) chosen = blocks[0];
        return chosen.Code;
    }
}
