using System.Text.Json;
using System.Text.RegularExpressions;
using Assay.Core.Problems;

namespace Assay.Server.Scoring;

/// <summary>
/// An item's tests, read from any of the shapes trainers' datasets use, as one of Assay's judging specifications.
/// Accepted: Assay's own `{"kind": "assert"|"function"|"stdio"|"program", ...}`; APPS/TACO `{"inputs", "outputs",
/// "fn_name"?}` (stdin/stdout, or call-based with `fn_name`); verl's `{"assert_case": [...]}`; open-r1's and
/// NeMo-RL's `{"test_cases": [{"input", "output"|"expected_output"}]}`; LiveCodeBench-style lists of
/// `{"input", "output"}`; and any of these as a JSON string (verl's `ground_truth`).
/// </summary>
public sealed partial record TestSuite(JudgeSpec Judge, int Total, string? EntryPoint, string? Reference, string Kind)
{
    [GeneratedRegex(@"(?<![\w.])([A-Za-z_]\w*)\s*\(")]
    private static partial Regex CallPattern();

    /// <summary>The problem to judge <paramref name="program"/> against these tests under <paramref name="taskId"/>.</summary>
    public Problem ProblemFor(string taskId, string language, string program)
    {
        if (Kind == "call" && Judge is IoFunctionJudge call)
        {
            // APPS calls `Solution().fn_name` when the program holds `class Solution`.
            var (target, method) = AppsCallTests.Target(EntryPoint!, program);
            return new Problem(taskId, language, "", target, Reference, call with { Method = method });
        }
        var entry = EntryPoint;
        if (entry is null && Judge is PythonAssertJudge asserts) entry = InferEntryPoint(asserts, program);
        var judge = Judge is PythonAssertJudge a && entry is not null && EntryPoint is null ? a with { RebindEntryPoint = true } : Judge;
        return new Problem(taskId, language, "", entry, Reference, judge);
    }

    /// <summary>
    /// Asserts that call a function by name (verl's `assert_case`) judge it in the worker when the program defines
    /// it: the first name the tests call that the program defines with `def`. Otherwise the harness runs the tests
    /// beside the program, the classic way.
    /// </summary>
    private static string? InferEntryPoint(PythonAssertJudge asserts, string program)
    {
        foreach (var test in asserts.Tests)
        {
            foreach (Match m in CallPattern().Matches(test))
            {
                var name = m.Groups[1].Value;
                if (Regex.IsMatch(program, @"^def\s+" + Regex.Escape(name) + @"\s*\(", RegexOptions.Multiline)) return name;
            }
        }
        return null;
    }

    /// <summary>
    /// Reads an item's tests. Only the tests <paramref name="preset"/> judges are kept (verl: the first ten); a
    /// preset that counts tests gets every stdin/stdout test run; <paramref name="memoryLimitKb"/> applies to every
    /// program run (the Python harness gets it per judging sandbox, see <see cref="Judging.JudgeEngine"/>).
    /// </summary>
    public static TestSuite Parse(JsonElement tests, string language, ScoringPreset preset, OutputMatch? compare, long memoryLimitKb, string where)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var limits = new Shape(preset, compare ?? preset.Compare, memoryLimitKb);
        if (tests.ValueKind == JsonValueKind.String)
        {
            JsonElement parsed;
            try
            {
                using var doc = JsonDocument.Parse(tests.GetString()!);
                parsed = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new InvalidRequestException($"{where}: a string of tests must hold JSON ({ex.Message})");
            }
            return Parse(parsed, language, preset, compare, memoryLimitKb, where);
        }
        if (tests.ValueKind == JsonValueKind.Array) return Stdio(Records(tests, where), limits, where);
        if (tests.ValueKind != JsonValueKind.Object)
            throw new InvalidRequestException($"{where}: tests must be an object, a list, or a JSON string of one, not {tests.ValueKind.ToString().ToLowerInvariant()}");

        if (tests.TryGetProperty("kind", out var kind))
        {
            return kind.ValueKind == JsonValueKind.String ? kind.GetString() switch
            {
                "assert" => Asserts(tests, language, preset, where),
                "function" => Function(tests, language, preset, where),
                "stdio" => Stdio(Records(Required(tests, "tests", where), where + ".tests"),
                    limits with { Match = ParseCompare(tests, where) ?? limits.Match }, where),
                "program" => new TestSuite(new ProgramTestJudge(RequiredString(tests, "test_program", where), MemoryLimitKb: memoryLimitKb), 1, null, null,
                    "program"),
                var other => throw new InvalidRequestException($"{where}.kind: `{other}` is not a kind of tests (assert, function, stdio, program)"),
            } : throw new InvalidRequestException($"{where}.kind must be a string");
        }
        if (tests.TryGetProperty("assert_case", out var assertCase))
        {
            var asserts = Pick(Strings(assertCase, where + ".assert_case"), preset, null);
            RequirePython(language, where, "assert tests");
            return new TestSuite(new PythonAssertJudge("", asserts), asserts.Count, null, null, "assert");
        }
        if (tests.TryGetProperty("test_cases", out var cases)) return Stdio(Records(cases, where + ".test_cases"), limits, where);
        if (tests.TryGetProperty("inputs", out var inputs) && tests.TryGetProperty("outputs", out var outputs))
        {
            if (tests.TryGetProperty("fn_name", out var fn) && fn.ValueKind == JsonValueKind.String && fn.GetString() is { Length: > 0 } name)
                return CallBased(inputs, outputs, name, language, preset, where);
            var ins = Strings(inputs, where + ".inputs", allowEmpty: true);
            var outs = Strings(outputs, where + ".outputs", allowEmpty: true);
            if (ins.Count != outs.Count) throw new InvalidRequestException($"{where}: {ins.Count} inputs but {outs.Count} outputs");
            return Stdio(ins.Zip(outs, (i, o) => new StdioTest(i, o)).ToList(), limits, where);
        }
        throw new InvalidRequestException($"{where}: unrecognised tests; give {{\"kind\": \"assert\"|\"function\"|\"stdio\"|\"program\", ...}}, " +
            "{\"inputs\", \"outputs\", \"fn_name\"?}, {\"assert_case\"}, {\"test_cases\"} or a list of {\"input\", \"output\"}");
    }

    /// <summary>How an item's stdin/stdout tests are judged: the preset, the comparison and the memory limit.</summary>
    private sealed record Shape(ScoringPreset Preset, OutputMatch Match, long MemoryLimitKb);

    /// <summary>The tests the preset judges, in their order.</summary>
    private static List<T> Pick<T>(IReadOnlyList<T> tests, ScoringPreset preset, Func<T, string>? input) =>
        preset.Select(tests.Count, input is null ? null : tests.Select(t => input(t).EnumerateRunes().Count()).ToList()).Select(i => tests[i]).ToList();

    private static TestSuite Asserts(JsonElement tests, string language, ScoringPreset preset, string where)
    {
        RequirePython(language, where, "assert tests");
        var snippets = Pick(Strings(Required(tests, "tests", where), where + ".tests"), preset, null);
        var setup = OptionalString(tests, "setup", where) ?? "";
        var entry = OptionalString(tests, "entry_point", where);
        return new TestSuite(new PythonAssertJudge(setup, snippets, RebindEntryPoint: entry is not null), snippets.Count, entry, null, "assert");
    }

    private static TestSuite Function(JsonElement tests, string language, ScoringPreset preset, string where)
    {
        RequirePython(language, where, "function tests");
        var entry = RequiredString(tests, "entry_point", where);
        var reference = RequiredString(tests, "reference", where);
        var inputs = Required(tests, "inputs", where);
        if (inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
            throw new InvalidRequestException($"{where}.inputs must be a non-empty list of argument lists");
        var args = new List<string>();
        var i = 0;
        foreach (var input in inputs.EnumerateArray())
        {
            if (input.ValueKind != JsonValueKind.Array) throw new InvalidRequestException($"{where}.inputs[{i}] must be a list of arguments");
            args.Add(input.GetRawText());
            i++;
        }
        args = Pick(args, preset, a => a);
        var atol = 0.0;
        if (tests.TryGetProperty("atol", out var a))
        {
            if (a.ValueKind != JsonValueKind.Number || a.GetDouble() < 0) throw new InvalidRequestException($"{where}.atol must be a non-negative number");
            atol = a.GetDouble();
        }
        return new TestSuite(new IoFunctionJudge(args, args.Count, atol), args.Count, entry, reference, "function");
    }

    /// <summary>
    /// APPS call-based tests, read and judged as the dataset loader reads them (<see cref="AppsCallTests"/>: APPS's own
    /// rule); the preset's selection picks among them.
    /// </summary>
    private static TestSuite CallBased(JsonElement inputs, JsonElement outputs, string name, string language, ScoringPreset preset, string where)
    {
        RequirePython(language, where, "call-based tests (fn_name)");
        var all = AppsCallTests.Build(inputs, outputs, out var why) ?? throw new InvalidRequestException($"{where}: {why}");
        var picked = preset.Select(all.Inputs.Count, all.Inputs.Select(x => x.EnumerateRunes().Count()).ToList()).ToList();
        var judge = all with
        {
            Inputs = [.. picked.Select(i => all.Inputs[i])],
            Expected = [.. picked.Select(i => all.Expected![i])],
            BaseCount = picked.Count,
        };
        return new TestSuite(judge, picked.Count, name, null, "call");
    }

    private static TestSuite Stdio(List<StdioTest> tests, Shape shape, string where)
    {
        if (tests.Count == 0) throw new InvalidRequestException($"{where}: no tests");
        tests = Pick(tests, shape.Preset, t => t.Input);
        var judge = new StdioJudge(tests, shape.Match, RunAllTests: shape.Preset.CountsEveryTest, MemoryLimitKb: shape.MemoryLimitKb);
        return new TestSuite(judge, tests.Count, null, null, "stdio");
    }

    /// <summary>Records `{input, output | expected_output}`, as a list.</summary>
    private static List<StdioTest> Records(JsonElement list, string where)
    {
        if (list.ValueKind != JsonValueKind.Array) throw new InvalidRequestException($"{where} must be a list of {{\"input\", \"output\"}}");
        var tests = new List<StdioTest>();
        var i = 0;
        foreach (var record in list.EnumerateArray())
        {
            var at = $"{where}[{i}]";
            if (record.ValueKind != JsonValueKind.Object) throw new InvalidRequestException($"{at} must be an object with input and output");
            if (record.TryGetProperty("testtype", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "functional")
                throw new InvalidRequestException($"{at}: functional (call-based) records are not accepted in a list; give {{\"inputs\", \"outputs\", \"fn_name\"}}");
            var input = RequiredString(record, "input", at);
            var output = OptionalString(record, "output", at) ?? OptionalString(record, "expected_output", at)
                ?? throw new InvalidRequestException($"{at}: missing output (or expected_output)");
            tests.Add(new StdioTest(input, output));
            i++;
        }
        return tests;
    }

    private static OutputMatch? ParseCompare(JsonElement tests, string where) =>
        OptionalString(tests, "compare", where) is { } text ? ParseCompare(text, where + ".compare") : null;

    /// <summary>The comparisons a request may name (the trainers' rules by the names the README gives them).</summary>
    public static OutputMatch ParseCompare(string text, string where) => text switch
    {
        "exact" => OutputMatch.Exact,
        "tokens" => OutputMatch.Tokens,
        "numeric" => OutputMatch.Numeric,
        "trailing_newlines" => OutputMatch.ExactUpToTrailingNewlines,
        "stripped" => OutputMatch.StrippedEqual,
        "stripped_lines" => OutputMatch.StrippedLinePrefix,
        "taco" => OutputMatch.TacoLenient,
        _ => throw new InvalidRequestException($"{where}: `{text}` is not a comparison (exact, tokens, numeric, trailing_newlines, stripped, stripped_lines, taco)"),
    };

    private static void RequirePython(string language, string where, string what)
    {
        if (language is not ("python" or "python3" or "py"))
            throw new InvalidRequestException($"{where}: {what} are Python; language is `{language}` (use kind \"program\" or stdin/stdout tests for other languages)");
    }

    private static JsonElement Required(JsonElement obj, string name, string where) =>
        obj.TryGetProperty(name, out var value) ? value : throw new InvalidRequestException($"{where}: missing `{name}`");

    private static string RequiredString(JsonElement obj, string name, string where) =>
        OptionalString(obj, name, where) ?? throw new InvalidRequestException($"{where}: missing `{name}`");

    private static string? OptionalString(JsonElement obj, string name, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidRequestException($"{where}.{name} must be a string");
    }

    private static List<string> Strings(JsonElement list, string where, bool allowEmpty = false)
    {
        if (list.ValueKind != JsonValueKind.Array) throw new InvalidRequestException($"{where} must be a list of strings");
        var result = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new InvalidRequestException($"{where}[{result.Count}] must be a string");
            result.Add(item.GetString()!);
        }
        if (result.Count == 0 && !allowEmpty) throw new InvalidRequestException($"{where}: no tests");
        return result;
    }
}
