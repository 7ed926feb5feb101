using Assay.Core.Languages;
using System.Text.Json;
using System.Text.RegularExpressions;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>The sample-file layouts Assay reads; each value's <see cref="FormatInfoAttribute"/> says what it is (`assay formats`).</summary>
public enum SampleFormat
{
    /// <summary>Detect from each record's fields (<see cref="SampleFile.DetectionOrder"/>).</summary>
    Auto,

    [FormatInfo(
        "human-eval samples: one `completion` per line, appended to its problem's prompt (`generation`, as CodeGeeX's files call it, is read the same); an optional `language` names the sample's own language, APPS's `problem_id` and LiveCodeBench's `question_id` are read as the `task_id`, and a fenced code block in a chat answer is taken out.",
        "`completion` or `generation`",
        """{"task_id": "HumanEval/53", "completion": "    return x + y\n"}""",
        "human-eval", "HumanEval-X (CodeGeeX)", "MultiPL-E", "mxeval (MBXP)", "APPS and LiveCodeBench samples")]
    HumanEval,

    [FormatInfo(
        "EvalPlus samples: a self-contained `solution` (the whole program) or a `completion`; a bare id such as `2` finds `Mbpp/2`, and a fenced code block in a chat answer is taken out.",
        "`solution`",
        """{"task_id": "Mbpp/2", "solution": "def add(a, b):\n    return a + b\n"}""",
        "HumanEval+ (EvalPlus)", "MBPP+ (EvalPlus)")]
    EvalPlus,

    [FormatInfo(
        "CodeT: `{prompt, samples[]}` per problem, matched to problems by prompt (or by the prompt's last function name). Each sample is cut at CodeT's stop tokens (`\\nclass`, `\\ndef`, `\\n#`, `\\nif`, `\\nprint`) and appended to that record's prompt, as CodeT's own post-processing does.",
        "`prompt` and `samples`",
        """{"prompt": "def add(x: int, y: int):\n", "samples": ["    return x + y\n", "    return x - y\n"]}""",
        "CodeT's HumanEval and MBPP samples")]
    CodeT,
}

/// <summary>Loads model samples and ties each to its problem.</summary>
public static partial class SampleFile
{
    private static readonly string[] CodeTStopTokens = ["\nclass", "\ndef", "\n#", "\nif", "\nprint"];

    [GeneratedRegex(@"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", RegexOptions.Multiline)]
    private static partial Regex DefPattern();

    /// <param name="defaultLanguage">The language of samples for stdin/stdout problems (any language can answer those)
    /// that do not say their own with a `language` field (`--language`); null: the problem's.</param>
    /// <param name="languages">The language catalog: a sample's `language` in any spelling (`GNU C++17`, `PyPy 3`)
    /// becomes its toolchain name, and code fences are picked by the language's tags.</param>
    public static IReadOnlyList<Sample> Load(string path, IReadOnlyList<Problem> problems, SampleFormat format, BadRecordPolicy policy,
        ICollection<BadRecord> badRecords, LanguageCatalog languages, string? defaultLanguage = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(languages);
        var byId = problems.ToDictionary(p => p.TaskId, StringComparer.Ordinal);
        var byPrompt = problems.GroupBy(p => p.Prompt, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byEntry = problems.Where(p => p.EntryPoint is not null).GroupBy(p => p.EntryPoint!, StringComparer.Ordinal)
            .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = new List<Sample>();

        foreach (var (line, record) in JsonlFile.Read(path, policy, badRecords))
        {
            var detected = format == SampleFormat.Auto ? Detect(record) : format;
            switch (detected)
            {
                case SampleFormat.CodeT:
                {
                    var prompt = JsonlFile.OptionalString(record, "prompt");
                    if (prompt is null || !record.TryGetProperty("samples", out var list) || list.ValueKind != JsonValueKind.Array)
                    {
                        Report(path, line, "CodeT record needs `prompt` and a `samples` array", policy, badRecords);
                        continue;
                    }
                    var problem = byPrompt.GetValueOrDefault(prompt) ?? MatchByEntryPoint(prompt, byEntry);
                    if (problem is null)
                    {
                        Report(path, line, "no problem has this record's prompt or its function name", policy, badRecords);
                        continue;
                    }
                    if (list.GetArrayLength() == 0)
                    {
                        Report(path, line, $"CodeT record for {problem.TaskId} has an empty `samples` array", policy, badRecords);
                        continue;
                    }
                    var notText = list.EnumerateArray().Count(item => item.ValueKind != JsonValueKind.String);
                    if (notText > 0)
                    {
                        // Kept as empty programs (they fail), so the sample count n of pass@k stays the file's.
                        badRecords.Add(new BadRecord(path, line, $"{notText} of {list.GetArrayLength()} samples for {problem.TaskId} are not strings: "
                            + "judged as empty programs", LineSkipped: false));
                    }
                    foreach (var item in list.EnumerateArray())
                    {
                        var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
                        // CodeT's program is its own prompt plus the cut completion, whatever prompt the problem file has.
                        samples.Add(new Sample(problem.TaskId, Next(counters, problem.TaskId), prompt + CutAtStopTokens(text), IsSolution: true));
                    }
                    break;
                }
                case SampleFormat.HumanEval or SampleFormat.EvalPlus:
                {
                    var taskId = ReadTaskId(record);
                    var solution = JsonlFile.OptionalString(record, "solution");
                    // CodeGeeX's HumanEval-X sample files call the completion `generation`.
                    var completion = JsonlFile.OptionalString(record, "completion") ?? JsonlFile.OptionalString(record, "generation");
                    if (taskId is null || (solution is null && completion is null))
                    {
                        Report(path, line, "sample needs `task_id` and `completion` (or `solution`)", policy, badRecords);
                        continue;
                    }
                    var problem = byId.GetValueOrDefault(taskId) ?? ResolveBareId(taskId, problems);
                    if (problem is null)
                    {
                        Report(path, line, $"unknown task_id {taskId}", policy, badRecords);
                        continue;
                    }
                    var isSolution = solution is not null;
                    // A sample may be written in another language than the problem's (stdin/stdout problems); the
                    // judge refuses a language the problem's tests cannot judge, naming both.
                    var language = JsonlFile.OptionalString(record, "language")
                        ?? (problem.Judge is StdioJudge ? defaultLanguage : null);
                    if (language is not null) language = languages.NameOf(language);
                    var fenced = language ?? problem.Language;
                    var text = CodeFences.Extract(solution ?? completion!, languages.Find(fenced)?.EffectiveFenceTags ?? [fenced]);
                    if (!isSolution && problem.Judge is ProgramTestJudge { StopTokens: { Count: > 0 } stops }) text = CutAt(text, stops);
                    samples.Add(new Sample(problem.TaskId, Next(counters, problem.TaskId), text, isSolution, language));
                    break;
                }
                default:
                    Report(path, line, "unrecognised sample record: expected {task_id, completion}, {task_id, solution} or {prompt, samples}", policy, badRecords);
                    break;
            }
        }
        return samples;
    }

    /// <summary>Cuts a completion at the first of CodeT's stop tokens, applied in CodeT's order.</summary>
    public static string CutAtStopTokens(string completion)
    {
        foreach (var token in CodeTStopTokens)
        {
            var at = completion.IndexOf(token, StringComparison.Ordinal);
            if (at >= 0) completion = completion[..at];
        }
        return completion;
    }

    /// <summary>Cuts a completion at the earliest occurrence of any of the problem's stop tokens (MultiPL-E's rule).</summary>
    public static string CutAt(string completion, IReadOnlyList<string> stopTokens)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(stopTokens);
        var end = completion.Length;
        foreach (var token in stopTokens)
        {
            var at = completion.IndexOf(token, StringComparison.Ordinal);
            if (at >= 0 && at < end) end = at;
        }
        return completion[..end];
    }

    /// <summary>What `auto` tries, first match wins.</summary>
    private static readonly (SampleFormat Format, Func<JsonElement, bool> Matches)[] Detectors =
    [
        (SampleFormat.CodeT, r => r.TryGetProperty("samples", out _) && r.TryGetProperty("prompt", out _)),
        (SampleFormat.EvalPlus, r => r.TryGetProperty("solution", out _)),
        (SampleFormat.HumanEval, r => r.TryGetProperty("completion", out _) || r.TryGetProperty("generation", out _)),
    ];

    /// <summary>Every format but auto, in the order auto-detection tries them (`assay formats` lists them so).</summary>
    public static IReadOnlyList<SampleFormat> DetectionOrder { get; } = [.. Detectors.Select(d => d.Format)];

    /// <summary>The layout `auto` reads <paramref name="record"/> as; <see cref="SampleFormat.Auto"/> when none matches.</summary>
    public static SampleFormat Detect(JsonElement record)
    {
        foreach (var (format, matches) in Detectors)
        {
            if (matches(record)) return format;
        }
        return SampleFormat.Auto;
    }

    /// <summary>`task_id`, or APPS's `problem_id`, or LiveCodeBench's `question_id`.</summary>
    private static string? ReadTaskId(JsonElement record)
    {
        foreach (var name in (string[])["task_id", "problem_id", "question_id"])
        {
            if (!record.TryGetProperty(name, out var id)) continue;
            return id.ValueKind switch
            {
                JsonValueKind.String => id.GetString(),
                JsonValueKind.Number => id.GetRawText(),
                _ => null,
            };
        }
        return null;
    }

    /// <summary>EvalPlus sample files may say "2" for "Mbpp/2": accept a bare id that matches exactly one problem's suffix.</summary>
    private static Problem? ResolveBareId(string taskId, IReadOnlyList<Problem> problems)
    {
        if (taskId.Contains('/', StringComparison.Ordinal)) return null;
        var matches = problems.Where(p => p.TaskId.EndsWith("/" + taskId, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static Problem? MatchByEntryPoint(string prompt, Dictionary<string, Problem> byEntry)
    {
        var defs = DefPattern().Matches(prompt);
        return defs.Count == 0 ? null : byEntry.GetValueOrDefault(defs[^1].Groups[1].Value);
    }

    private static int Next(Dictionary<string, int> counters, string taskId)
    {
        var next = counters.GetValueOrDefault(taskId);
        counters[taskId] = next + 1;
        return next;
    }

    private static void Report(string path, int line, string why, BadRecordPolicy policy, ICollection<BadRecord> badRecords)
    {
        var bad = new BadRecord(path, line, why);
        if (policy == BadRecordPolicy.Stop) throw new BadRecordException(bad);
        badRecords.Add(bad);
    }
}
