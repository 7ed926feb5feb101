using Assay.Core.Languages;
using System.Text.Json;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>The problem-file formats Assay reads.</summary>
public enum ProblemFormat
{
    /// <summary>Detect from the first record's fields.</summary>
    Auto,

    /// <summary>human-eval: `task_id, prompt, entry_point, canonical_solution, test` (`test` defines `check(candidate)`).</summary>
    HumanEval,

    /// <summary>
    /// MBPP: `task_id` (a number), `text` or `prompt`, `code`, and the asserts in `test_list` (original MBPP) or
    /// `test` (the DeepSeek test split), optional `test_setup_code` and `challenge_test_list`. Task ids become
    /// `Mbpp/N`; samples are whole programs, and each assert is one test.
    /// </summary>
    Mbpp,

    /// <summary>
    /// EvalPlus native (HumanEval+, MBPP+): `task_id, prompt, entry_point, canonical_solution, base_input,
    /// plus_input, atol`; inputs may be JSON or JSON-encoded strings. Expected outputs come from running the
    /// canonical solution; base and plus tests must both pass.
    /// </summary>
    EvalPlus,

    /// <summary>APPS: the original layout (`input_output`, `solutions`) or MapCoder's selection (`test_list`); see AppsProblems.</summary>
    Apps,

    /// <summary>LiveCodeBench: `question_id`, `public_test_cases`, `private_test_cases`, `metadata`; see LiveCodeBenchProblems.</summary>
    LiveCodeBench,
    /// <summary>HumanEval-X (CodeGeeX): `task_id` like `CPP/0`, `prompt`, `declaration`, `canonical_solution`, `test` (a test program).</summary>
    HumanEvalX,

    /// <summary>MultiPL-E: `name, language, prompt, tests, stop_tokens` (a test program per problem; no reference solutions).</summary>
    MultiPLE,

    /// <summary>mxeval's MBXP and multilingual HumanEval: human-eval fields plus `language`; `test` is a test program.</summary>
    Mxeval,
}

/// <summary>Loads a problem file into Assay's model.</summary>
public static class ProblemFile
{
    /// <param name="languages">The language catalog: datasets' language spellings (MultiPL-E `rkt`, HumanEval-X `CPP`,
    /// mxeval `csharp`) become toolchain names through it.</param>
    public static IReadOnlyList<Problem> Load(string path, ProblemFormat format, BadRecordPolicy policy, ICollection<BadRecord> badRecords,
        LanguageCatalog languages)
    {
        ArgumentNullException.ThrowIfNull(languages);
        var problems = new List<Problem>();
        var seen = new Dictionary<string, (int Line, string Text)>(StringComparer.Ordinal);
        foreach (var (line, record) in JsonlFile.Read(path, policy, badRecords))
        {
            var detected = format == ProblemFormat.Auto ? Detect(record) : format;
            var problem = detected switch
            {
                ProblemFormat.HumanEval => ReadHumanEval(record, out var why) ?? Bad(path, line, why, policy, badRecords),
                ProblemFormat.Mbpp => ReadMbpp(record, out var why) ?? Bad(path, line, why, policy, badRecords),
                ProblemFormat.EvalPlus => ReadEvalPlus(record, out var why) ?? Bad(path, line, why, policy, badRecords),
                ProblemFormat.Apps => AppsProblems.Read(record, out var why) ?? Bad(path, line, why, policy, badRecords),
                ProblemFormat.LiveCodeBench => LiveCodeBenchProblems.Read(record, out var why) ?? Bad(path, line, why, policy, badRecords),
                ProblemFormat.HumanEvalX => HumanEvalXProblems.Read(record, languages, out var why) ?? Bad(path, line, why, policy, badRecords),
                ProblemFormat.MultiPLE => MultiPLEProblems.Read(record, languages, out var why) ?? Bad(path, line, why, policy, badRecords),
                ProblemFormat.Mxeval => (MxevalProblems.IsPython(record) ? ReadHumanEval(record, out var why) : MxevalProblems.Read(record, languages, out why))
                    ?? Bad(path, line, why, policy, badRecords),
                _ => Bad(path, line, "unrecognised problem record: expected human-eval fields (task_id, prompt, entry_point, test), MBPP, EvalPlus, HumanEval-X, MultiPL-E, mxeval, APPS or LiveCodeBench fields", policy, badRecords),
            };
            if (problem is null) continue;
            var text = record.GetRawText();
            if (seen.TryGetValue(problem.TaskId, out var first))
            {
                // A line repeated byte for byte (MapCoder's APPS selection has 22) is the same problem: judged once,
                // and reported whatever the policy. A different record under the same id is an error.
                if (first.Text == text) badRecords.Add(new BadRecord(path, line, $"identical duplicate of line {first.Line} ({problem.TaskId}): judged once"));
                else Bad(path, line, $"duplicate task_id {problem.TaskId} (line {first.Line} has a different record)", policy, badRecords);
                continue;
            }
            seen[problem.TaskId] = (line, text);
            problems.Add(problem);
        }
        return problems;
    }

    private static ProblemFormat Detect(JsonElement record)
    {
        if (record.TryGetProperty("base_input", out _) && record.TryGetProperty("plus_input", out _))
            return ProblemFormat.EvalPlus;
        if (AppsProblems.Looks(record)) return ProblemFormat.Apps;
        if (LiveCodeBenchProblems.Looks(record)) return ProblemFormat.LiveCodeBench;
        if (MultiPLEProblems.Detect(record)) return ProblemFormat.MultiPLE;
        if (HumanEvalXProblems.Detect(record)) return ProblemFormat.HumanEvalX;
        if (MxevalProblems.Detect(record)) return ProblemFormat.Mxeval;
        if (record.TryGetProperty("task_id", out _) && record.TryGetProperty("prompt", out _) && record.TryGetProperty("test", out _)
            && record.TryGetProperty("entry_point", out _))
            return ProblemFormat.HumanEval;
        if (record.TryGetProperty("task_id", out _) && record.TryGetProperty("code", out _)
            && (record.TryGetProperty("test_list", out _) || record.TryGetProperty("test", out _)))
            return ProblemFormat.Mbpp;
        return ProblemFormat.Auto;
    }

    private static Problem? ReadMbpp(JsonElement record, out string why)
    {
        why = "";
        var taskId = record.TryGetProperty("task_id", out var id) ? id.ValueKind switch
        {
            JsonValueKind.Number => id.GetRawText(),
            JsonValueKind.String => id.GetString(),
            _ => null,
        } : null;
        var code = JsonlFile.OptionalString(record, "code");
        var tests = ReadStrings(record, "test_list") ?? ReadStrings(record, "test");
        if (taskId is null || code is null || tests is null || tests.Count == 0)
        {
            why = "MBPP record needs task_id, code and a non-empty list of asserts in test_list (or test)";
            return null;
        }
        var challenge = ReadStrings(record, "challenge_test_list") ?? [];
        var entry = MbppEntryPoint(tests[0]);
        var name = taskId.Contains('/', StringComparison.Ordinal) ? taskId : "Mbpp/" + taskId;
        // The asserts call the function by name, so the wrapped function replaces that name.
        return new Problem(name, "python", "", entry, code,
            new PythonAssertJudge(JsonlFile.OptionalString(record, "test_setup_code") ?? "", [.. tests, .. challenge], RebindEntryPoint: entry is not null));
    }

    private static Problem? ReadEvalPlus(JsonElement record, out string why)
    {
        why = "";
        var taskId = JsonlFile.OptionalString(record, "task_id");
        var prompt = JsonlFile.OptionalString(record, "prompt");
        var entry = JsonlFile.OptionalString(record, "entry_point")?.Trim();
        var canonical = JsonlFile.OptionalString(record, "canonical_solution");
        if (taskId is null || prompt is null || entry is null || canonical is null)
        {
            why = "EvalPlus record needs task_id, prompt, entry_point and canonical_solution";
            return null;
        }
        var baseInputs = ReadInputs(record, "base_input", out why);
        if (baseInputs is null) return null;
        var plusInputs = ReadInputs(record, "plus_input", out why);
        if (plusInputs is null) return null;
        double atol = 0;
        if (record.TryGetProperty("atol", out var atolValue))
        {
            if (atolValue.ValueKind == JsonValueKind.Number) atol = atolValue.GetDouble();
            else if (atolValue.ValueKind == JsonValueKind.String && double.TryParse(atolValue.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var parsed)) atol = parsed;
        }
        List<string> inputs = [.. baseInputs, .. plusInputs];
        List<string>? tagged;
        try
        {
            tagged = EvalPlusSpecialCases.Deserialise(taskId, inputs);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidCastException)
        {
            why = $"{taskId}: inputs do not have the shape EvalPlus rebuilds for this task: {ex.Message}";
            return null;
        }
        return new Problem(taskId, "python", prompt, entry, canonical, new IoFunctionJudge(tagged ?? inputs, baseInputs.Count, atol,
            Oracle: EvalPlusSpecialCases.OracleFor(taskId, entry), TaggedInputs: tagged is not null));
    }

    /// <summary>A list of argument lists, each kept as JSON text (its numbers exactly as written).</summary>
    private static List<string>? ReadInputs(JsonElement record, string name, out string why)
    {
        why = "";
        if (!record.TryGetProperty(name, out var value))
        {
            why = $"EvalPlus record has no {name}";
            return null;
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            // The MBPP+ pre-release stores inputs as a JSON-encoded string.
            try
            {
                using var inner = JsonDocument.Parse(value.GetString()!);
                return ReadInputList(inner.RootElement, name, out why);
            }
            catch (JsonException ex)
            {
                why = $"{name} is a string but not JSON: {JsonErrors.Describe(ex)}";
                return null;
            }
        }
        return ReadInputList(value, name, out why);
    }

    private static List<string>? ReadInputList(JsonElement value, string name, out string why)
    {
        why = "";
        // MBPP+ writes one task's empty plus_input as {} (Mbpp/793): no inputs, as EvalPlus reads it.
        if (value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any()) return [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            why = $"{name} must be a list of argument lists";
            return null;
        }
        var inputs = new List<string>();
        foreach (var args in value.EnumerateArray())
        {
            if (args.ValueKind != JsonValueKind.Array)
            {
                why = $"{name} must be a list of argument lists";
                return null;
            }
            inputs.Add(args.GetRawText());
        }
        return inputs;
    }

    private static List<string>? ReadStrings(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array) return null;
        return value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
    }

    /// <summary>The function an MBPP assert calls: `assert name(...)`, possibly inside set(...) or similar.</summary>
    private static string? MbppEntryPoint(string assertion)
    {
        var match = System.Text.RegularExpressions.Regex.Match(assertion, @"^\s*assert\s+(?:not\s+)?(?:\(\s*)*(?:(?:set|sorted|list|tuple|abs|round|math\.isclose|str|int|float)\(\s*)*([A-Za-z_][A-Za-z0-9_]*)\s*\(");
        return match.Success ? match.Groups[1].Value : null;
    }

    private static Problem? ReadHumanEval(JsonElement record, out string why)
    {
        why = "";
        var taskId = JsonlFile.OptionalString(record, "task_id");
        var prompt = JsonlFile.OptionalString(record, "prompt");
        var test = JsonlFile.OptionalString(record, "test");
        // Some datasets carry stray whitespace in the name (CodeT's MbppEval/6: "is_Power_Of_Two ").
        var entry = JsonlFile.OptionalString(record, "entry_point")?.Trim();
        if (taskId is null || prompt is null || test is null || entry is null)
        {
            why = "human-eval record needs string fields task_id, prompt, entry_point and test";
            return null;
        }
        // human-eval runs `check(entry_point)`; Assay passes the entry point wrapped so its results are plain data.
        return new Problem(taskId, "python", prompt, entry, JsonlFile.OptionalString(record, "canonical_solution"),
            new PythonAssertJudge(test, ["check(candidate)"]));
    }

    private static Problem? Bad(string path, int line, string why, BadRecordPolicy policy, ICollection<BadRecord> badRecords)
    {
        var bad = new BadRecord(path, line, why);
        if (policy == BadRecordPolicy.Stop) throw new BadRecordException(bad);
        badRecords.Add(bad);
        return null;
    }
}
