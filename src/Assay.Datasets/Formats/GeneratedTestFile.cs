using System.Text.Json;
using System.Text.RegularExpressions;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>
/// One problem's generated test samples as CodeT's post-processing cuts them, before the compile check (which
/// needs Python and is done by the matrix builder): per test sample, its candidate assertions in order.
/// </summary>
/// <param name="TaskId">The problem.</param>
/// <param name="Samples">Per generated test sample, the `assert ...` statements cut from it.</param>
public sealed record GeneratedTestSamples(string TaskId, IReadOnlyList<IReadOnlyList<string>> Samples);

/// <summary>
/// Loads CodeT's generated-test files: `{prompt, samples[]}` per problem, where the prompt ends with
/// `# check the correctness of NAME\nassert ` and each sample continues it. CodeT's extraction rules
/// (postprocess.py, algorithms.md §1): prefix the sample with `assert `, split on `assert `, keep the pieces that
/// contain the entry point's name, cut each at the stop tokens (`\nclass`, `\ndef`, `\n#`, `\nif`, `\nprint`)
/// and strip it. The remaining two rules — keep an assertion only if `try:` + it + `except: pass` compiles, then
/// the first <c>test_case_limit</c> (5) per sample — are applied by the matrix builder, which has Python.
/// </summary>
public static partial class GeneratedTestFile
{
    private static readonly string[] StopTokens = ["\nclass", "\ndef", "\n#", "\nif", "\nprint"];

    [GeneratedRegex(@"#\s*check the correctness of\s+([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", RegexOptions.Multiline)]
    private static partial Regex DefPattern();

    public static IReadOnlyList<GeneratedTestSamples> Load(string path, IReadOnlyList<Problem> problems, BadRecordPolicy policy,
        ICollection<BadRecord> badRecords)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(badRecords);
        var byEntry = problems.Where(p => p.EntryPoint is not null).GroupBy(p => p.EntryPoint!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byPrompt = problems.GroupBy(p => p.Prompt, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var result = new List<GeneratedTestSamples>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, record) in JsonlFile.Read(path, policy, badRecords))
        {
            var prompt = JsonlFile.OptionalString(record, "prompt");
            if (prompt is null || !record.TryGetProperty("samples", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                Report(path, line, "generated-test record needs `prompt` and a `samples` array", policy, badRecords);
                continue;
            }
            var problem = Match(prompt, byPrompt, byEntry, out var why);
            if (problem is null)
            {
                Report(path, line, why, policy, badRecords);
                continue;
            }
            if (!seen.Add(problem.TaskId))
            {
                Report(path, line, $"a second generated-test record for {problem.TaskId}", policy, badRecords);
                continue;
            }
            var samples = list.EnumerateArray()
                .Select(s => (IReadOnlyList<string>)Extract(s.ValueKind == JsonValueKind.String ? s.GetString()! : "", problem.EntryPoint!))
                .ToList();
            result.Add(new GeneratedTestSamples(problem.TaskId, samples));
        }
        return result;
    }

    /// <summary>CodeT's split-and-cut of one generated sample (everything but the compile check and the limit).</summary>
    public static IReadOnlyList<string> Extract(string sample, string entryPoint)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(entryPoint);
        var entry = entryPoint.Trim();
        var found = new List<string>();
        foreach (var part in ("assert " + sample).Split("assert "))
        {
            if (part.Trim().Length == 0 || !part.Contains(entry, StringComparison.Ordinal)) continue;
            var assertion = ("assert " + part).Trim();
            foreach (var token in StopTokens)
            {
                var at = assertion.IndexOf(token, StringComparison.Ordinal);
                if (at >= 0) assertion = assertion[..at];
            }
            found.Add(assertion.Trim());
        }
        return found;
    }

    /// <summary>By the prompt's "check the correctness of NAME" line, else by its last `def`, else by the whole prompt.</summary>
    private static Problem? Match(string prompt, Dictionary<string, Problem> byPrompt, Dictionary<string, List<Problem>> byEntry, out string why)
    {
        why = "";
        if (byPrompt.TryGetValue(prompt, out var exact) && exact.EntryPoint is not null) return exact;
        var marker = Marker().Match(prompt);
        var defs = DefPattern().Matches(prompt);
        var name = marker.Success ? marker.Groups[1].Value : defs.Count > 0 ? defs[^1].Groups[1].Value : null;
        if (name is null || !byEntry.TryGetValue(name, out var candidates))
        {
            why = name is null ? "the prompt names no function" : $"no problem has the entry point {name}";
            return null;
        }
        if (candidates.Count == 1) return candidates[0];
        // Several problems share the name: the one whose prompt this prompt starts with (up to its docstring's end).
        var byText = candidates.Where(p => prompt.StartsWith(p.Prompt.TrimEnd(), StringComparison.Ordinal)).ToList();
        if (byText.Count == 1) return byText[0];
        why = $"{candidates.Count} problems have the entry point {name}; the prompt does not tell which";
        return null;
    }

    private static void Report(string path, int line, string why, BadRecordPolicy policy, ICollection<BadRecord> badRecords)
    {
        var bad = new BadRecord(path, line, why);
        if (policy == BadRecordPolicy.Stop) throw new BadRecordException(bad);
        badRecords.Add(bad);
    }
}
