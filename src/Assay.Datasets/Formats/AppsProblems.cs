using System.Text.Json;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>
/// APPS problems, in two layouts. Task ids become `APPS/N`.
/// <list type="bullet">
/// <item>The original (`problem_id`, `input_output` as a JSON string or object with `inputs`, `outputs`,
/// optional `fn_name`; `starter_code`; `solutions` as a JSON list, the first used as the reference).
/// With `fn_name` a problem is call-based: each input is an argument list, each output the expected value,
/// judged by APPS's rule (<see cref="AppsCallTests"/>, shared with the server); starter code with `class Solution`
/// means calling `Solution().fn_name(*args)`. Without it the problem is stdin/stdout.</item>
/// <item>MapCoder's selection (`id`, `test_list`/`sample_io` of `{input, output: [accepted outputs]}`,
/// `starter_code`, no solutions). MapCoder converted call-based problems into stdin/stdout ones: the
/// arguments arrive one per line as Python's `str()` of each, and the program prints the result. Since that
/// loses the arguments' types (`'1'` may be the string or the number), these problems are judged as MapCoder
/// judged them: on stdin/stdout, the expected output being Python's `str()` of the expected value.</item>
/// </list>
/// Outputs are compared as tokens with numbers equal within 1e-6 (absolutely or relatively), which accepts
/// what APPS's and MapCoder's lenient comparisons accept for well-formed answers (`1.0` for `1`, other
/// spacing or line breaks); a candidate must also exit with status 0.
/// </summary>
internal static class AppsProblems
{
    private const double Tolerance = 1e-6;

    public static bool Looks(JsonElement record) =>
        record.TryGetProperty("input_output", out _)
        || (record.TryGetProperty("test_list", out var tests) && tests.ValueKind == JsonValueKind.Array
            && record.TryGetProperty("sample_io", out _) && record.TryGetProperty("starter_code", out _));

    public static Problem? Read(JsonElement record, out string why)
    {
        why = "";
        var id = Id(record);
        if (id is null)
        {
            why = "APPS record needs problem_id (or id)";
            return null;
        }
        var taskId = "APPS/" + id;
        var starter = JsonlFile.OptionalString(record, "starter_code") ?? "";
        if (record.TryGetProperty("test_list", out var testList) && !record.TryGetProperty("input_output", out _))
            return ReadMapCoder(taskId, record, testList, starter, out why);

        if (!record.TryGetProperty("input_output", out var io))
        {
            why = $"{taskId}: APPS record needs input_output (or MapCoder's test_list, sample_io and starter_code)";
            return null;
        }
        JsonElement tests;
        try
        {
            if (io.ValueKind == JsonValueKind.String)
            {
                var text = io.GetString()!;
                if (text.Trim().Length == 0)
                {
                    why = $"{taskId}: input_output is empty (APPS has problems without tests)";
                    return null;
                }
                tests = JsonDocument.Parse(text).RootElement.Clone();
            }
            else
            {
                tests = io;
            }
        }
        catch (JsonException ex)
        {
            why = $"{taskId}: input_output is not JSON: {JsonErrors.Describe(ex)}";
            return null;
        }
        if (tests.ValueKind != JsonValueKind.Object || !tests.TryGetProperty("inputs", out var inputs) || !tests.TryGetProperty("outputs", out var outputs)
            || inputs.ValueKind != JsonValueKind.Array || outputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() != outputs.GetArrayLength()
            || inputs.GetArrayLength() == 0)
        {
            why = $"{taskId}: input_output needs lists `inputs` and `outputs` of equal, non-zero length";
            return null;
        }
        var canonical = FirstSolution(record);
        var fnName = tests.TryGetProperty("fn_name", out var fn) && fn.ValueKind == JsonValueKind.String ? fn.GetString() : null;
        if (fnName is not null)
        {
            if (AppsCallTests.Build(inputs, outputs, out var malformed) is not { } call)
            {
                why = $"{taskId}: input_output: {malformed}";
                return null;
            }
            // APPS looks for `class Solution` in the program; a dataset's starter code says what programs will hold.
            var (entry, method) = AppsCallTests.Target(fnName, starter);
            return new Problem(taskId, "python", "", entry, canonical, call with { Method = method });
        }
        var stdio = new List<StdioTest>();
        foreach (var (input, output) in inputs.EnumerateArray().Zip(outputs.EnumerateArray()))
        {
            if (Text(input) is not { } inputText || Text(output) is not { } outputText)
            {
                why = $"{taskId}: a stdin/stdout test's input and output must be strings (or lists of lines)";
                return null;
            }
            stdio.Add(new StdioTest(inputText, outputText));
        }
        return new Problem(taskId, "python", "", null, canonical, new StdioJudge(stdio, OutputMatch.Numeric, Tolerance: Tolerance));
    }

    private static Problem? ReadMapCoder(string taskId, JsonElement record, JsonElement testList, string starter, out string why)
    {
        why = "";
        var publicInputs = record.TryGetProperty("sample_io", out var samples) && samples.ValueKind == JsonValueKind.Array
            ? samples.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("input", out _))
                .Select(s => Text(s.GetProperty("input"))).ToHashSet(StringComparer.Ordinal)
            : [];
        var callBased = starter.Trim().Length > 0;
        var tests = new List<StdioTest>();
        foreach (var test in testList.EnumerateArray())
        {
            if (test.ValueKind != JsonValueKind.Object || !test.TryGetProperty("input", out var input) || Text(input) is not { } inputText
                || !test.TryGetProperty("output", out var output))
            {
                why = $"{taskId}: each test_list entry needs `input` (a string) and `output`";
                return null;
            }
            // MapCoder's `output` lists the accepted outputs; a bare value is the only one.
            var accepted = (output.ValueKind == JsonValueKind.Array ? output.EnumerateArray().ToList() : [output])
                .Select(o => callBased ? PythonText.Str(o) : Text(o)).ToList();
            if (accepted.Count == 0 || accepted.Any(a => a is null))
            {
                why = $"{taskId}: a test's accepted outputs must be strings";
                return null;
            }
            tests.Add(new StdioTest(inputText, accepted[0]!, publicInputs.Contains(inputText), accepted.Count > 1 ? accepted.Skip(1).Select(a => a!).ToList() : null));
        }
        if (tests.Count == 0)
        {
            why = $"{taskId}: no tests";
            return null;
        }
        // The statement's starter code is the prompt of a call-based problem; samples are whole programs.
        return new Problem(taskId, "python", "", null, null, new StdioJudge(tests, OutputMatch.Numeric, Tolerance: Tolerance));
    }

    private static string? Id(JsonElement record)
    {
        foreach (var name in (string[])["problem_id", "id", "task_id"])
        {
            if (!record.TryGetProperty(name, out var value)) continue;
            var text = value.ValueKind switch
            {
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.String => value.GetString(),
                _ => null,
            };
            if (text is not null) return text.StartsWith("APPS/", StringComparison.Ordinal) ? text[5..] : text;
        }
        return null;
    }

    /// <summary>The first of `solutions` (a JSON list, or a JSON string holding one), to calibrate limits with.</summary>
    private static string? FirstSolution(JsonElement record)
    {
        if (!record.TryGetProperty("solutions", out var solutions)) return null;
        try
        {
            var list = solutions.ValueKind == JsonValueKind.String
                ? JsonDocument.Parse(solutions.GetString()!).RootElement.Clone()
                : solutions;
            return list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()).FirstOrDefault()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string, or a list of lines joined with newlines.</summary>
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
            string.Join("\n", value.EnumerateArray().Select(v => v.GetString())),
        _ => null,
    };
}
