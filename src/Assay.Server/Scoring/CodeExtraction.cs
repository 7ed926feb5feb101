using Assay.Core.Languages;
using System.Text;
using System.Text.RegularExpressions;
using Assay.Core.Evaluation;
using Assay.Datasets.Formats;

namespace Assay.Server.Scoring;

/// <summary>Where a preset looks for the program in a model's completion.</summary>
public enum FenceRule
{
    /// <summary>
    /// Assay's own rule, the one `assay eval` reads samples with (<see cref="CodeFences.Extract(string, Language)"/>): the first block
    /// tagged with the item's language, else the first untagged block, else the first block; without fences the
    /// whole text.
    /// </summary>
    Assay,

    /// <summary>
    /// verl `sandbox_fusion/__init__.py::compute_score`: with "```python" in the text, what follows its last
    /// occurrence up to the next "```"; else, with "```" in it, the text between the first two "```" (its first line
    /// dropped when that line, stripped, is all letters); else no code.
    /// </summary>
    Verl,

    /// <summary>rllm/DeepCoder `code_reward.py::extract_code_from_model`: the last match of "```" + an optional word tag + newline … "```", stripped; else no code.</summary>
    DeepCoder,

    /// <summary>
    /// NeMo-RL `code_test_environment.py::extract_code`: the first "```python", optional whitespace, newline … "```"
    /// block, else the first "```", optional whitespace, newline … "```" block, else the whole response; stripped.
    /// </summary>
    NemoRl,

    /// <summary>
    /// open-r1 `rewards.py::extract_code`: the last block opened by exactly "```" + language + newline, else the empty
    /// program (which open-r1 runs like any other).
    /// </summary>
    OpenR1,
}

/// <summary>
/// Finds the program in a completion by a preset's rule; null means the completion holds no code. Assay's own rule
/// is the datasets' (<see cref="CodeFences"/>); the others are each one trainer's, kept exactly as that trainer
/// extracts (quirks included) so that its preset gives the trainer's reward.
/// </summary>
public static partial class CodeExtraction
{
    [GeneratedRegex(@"```(?:\w+)?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex WordTaggedBlock();

    [GeneratedRegex(@"```python\s*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlockLoose();

    [GeneratedRegex(@"```\s*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BareBlockLoose();

    public static string? Extract(string completion, FenceRule rule, Language language)
    {
        ArgumentNullException.ThrowIfNull(completion);
        switch (rule)
        {
            case FenceRule.Assay:
                return CodeFences.Extract(completion, language);
            case FenceRule.NemoRl:
            {
                var found = PythonBlockLoose().Match(completion) is { Success: true } python ? python
                    : BareBlockLoose().Match(completion) is { Success: true } bare ? bare : null;
                var code = Strip(found?.Groups[1].Value ?? completion);
                // NeMo-RL scores an empty program 0 without running it.
                return code.Length == 0 ? null : code;
            }
            case FenceRule.DeepCoder:
                return WordTaggedBlock().Matches(completion) is { Count: > 0 } tagged ? Strip(tagged[^1].Groups[1].Value) : null;
            case FenceRule.Verl:
                return Verl(completion);
            case FenceRule.OpenR1:
            {
                var found = Regex.Matches(completion, Regex.Escape("```" + language.Name + "\n") + "(.*?)```", RegexOptions.Singleline);
                return found.Count > 0 ? found[^1].Groups[1].Value : "";
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }
    }

    private static string? Verl(string completion)
    {
        const string Python = "```python";
        var at = completion.LastIndexOf(Python, StringComparison.Ordinal);
        if (at >= 0)
        {
            var rest = completion[(at + Python.Length)..];
            var end = rest.IndexOf("```", StringComparison.Ordinal);
            return end >= 0 ? rest[..end] : rest;
        }
        var open = completion.IndexOf("```", StringComparison.Ordinal);
        if (open < 0) return null;
        var after = completion[(open + 3)..];
        var close = after.IndexOf("```", StringComparison.Ordinal);
        var solution = close >= 0 ? after[..close] : after;
        var newline = solution.IndexOf('\n', StringComparison.Ordinal);
        // `first_line.strip().isalpha()`: a language tag such as "cpp" or "Python" (not "c++", not empty).
        if (newline >= 0 && Strip(solution[..newline]) is { Length: > 0 } tag && tag.EnumerateRunes().All(Rune.IsLetter))
            return solution[(newline + 1)..];
        return solution;
    }

    private static string Strip(string text) => PythonText.Strip(text);

    /// <summary>OpenRLHF sends prompt + response as one text: the response is what follows the prompt.</summary>
    public static string StripPrompt(string query, string? prompt) =>
        !string.IsNullOrEmpty(prompt) && query.StartsWith(prompt, StringComparison.Ordinal) ? query[prompt.Length..] : query;
}
