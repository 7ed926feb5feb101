using System.Text.RegularExpressions;

namespace Assay.Server.Scoring;

/// <summary>Where a trainer looks for the program in a model's completion.</summary>
public enum FenceRule
{
    /// <summary>The last fenced block; without fences the whole text.</summary>
    LastBlockElseWhole,

    /// <summary>verl: the text after the last "```python" up to the next fence, else the first fenced block (its language line dropped), else no code.</summary>
    PythonElseFirstBlock,

    /// <summary>DeepCoder: the last fenced block, else no code.</summary>
    LastBlock,

    /// <summary>NeMo-RL: the first fenced block, else the whole text.</summary>
    FirstBlockElseWhole,

    /// <summary>open-r1: the last block opened by exactly "```" + language + newline, else no code.</summary>
    LastLanguageBlock,
}

/// <summary>Finds the program in a completion by a trainer's rule; null means the completion holds no code.</summary>
public static partial class CodeExtraction
{
    [GeneratedRegex(@"```(?:[^\n`]*)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();

    public static string? Extract(string completion, FenceRule rule, string language)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var blocks = Block().Matches(completion).Select(m => m.Groups[1].Value).ToList();
        switch (rule)
        {
            case FenceRule.LastBlockElseWhole:
                return blocks.Count > 0 ? blocks[^1] : completion;
            case FenceRule.FirstBlockElseWhole:
                return blocks.Count > 0 ? blocks[0] : completion;
            case FenceRule.LastBlock:
                return blocks.Count > 0 ? blocks[^1] : null;
            case FenceRule.PythonElseFirstBlock:
            {
                var at = completion.LastIndexOf("```python", StringComparison.Ordinal);
                if (at >= 0)
                {
                    var rest = completion[(at + "```python".Length)..];
                    var end = rest.IndexOf("```", StringComparison.Ordinal);
                    return end >= 0 ? rest[..end] : rest;
                }
                return blocks.Count > 0 ? blocks[0] : null;
            }
            case FenceRule.LastLanguageBlock:
            {
                var open = "```" + language + "\n";
                var found = Regex.Matches(completion, Regex.Escape(open) + "(.*?)```", RegexOptions.Singleline);
                return found.Count > 0 ? found[^1].Groups[1].Value : null;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }
    }

    /// <summary>OpenRLHF sends prompt + response as one text: the response is what follows the prompt.</summary>
    public static string StripPrompt(string query, string? prompt) =>
        !string.IsNullOrEmpty(prompt) && query.StartsWith(prompt, StringComparison.Ordinal) ? query[prompt.Length..] : query;
}
