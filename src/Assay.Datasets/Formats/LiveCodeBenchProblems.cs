using System.Text.Json;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>
/// LiveCodeBench-style problems: `question_id`, `question_title`, `starter_code`, `public_test_cases` and
/// `private_test_cases` (JSON strings of `[{input, output, testtype}]`; the private ones possibly compressed
/// as base64(zlib(pickle(json string)))), `metadata` (a JSON string; `func_name` for functional problems).
/// `stdin` tests compare tokens, numbers as exact decimals (LiveCodeBench: `1.0` equals `1.00`, no tolerance);
/// `functional` tests give one JSON value per argument, one per line, and the expected result as JSON,
/// compared exactly after tuples become lists; with `class Solution` in the starter code the call is
/// `Solution().func_name(*args)`. Public tests come first and are marked public.
/// </summary>
internal static class LiveCodeBenchProblems
{
    public static bool Looks(JsonElement record) =>
        record.TryGetProperty("question_id", out _) && record.TryGetProperty("public_test_cases", out _);

    public static Problem? Read(JsonElement record, out string why)
    {
        why = "";
        var taskId = record.TryGetProperty("question_id", out var id) ? id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        } : null;
        if (taskId is null)
        {
            why = "LiveCodeBench record needs question_id";
            return null;
        }
        var starter = JsonlFile.OptionalString(record, "starter_code") ?? "";
        List<(string Input, string Output, string Type, bool IsPublic)> tests = [];
        foreach (var (field, isPublic) in (IEnumerable<(string, bool)>)[("public_test_cases", true), ("private_test_cases", false)])
        {
            var read = ReadTests(record, field, isPublic, out why);
            if (read is null)
            {
                why = $"{taskId}: {why}";
                return null;
            }
            tests.AddRange(read);
        }
        if (tests.Count == 0)
        {
            why = $"{taskId}: no tests";
            return null;
        }
        var types = tests.Select(t => t.Type).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count != 1 || types[0] is not ("stdin" or "functional"))
        {
            why = $"{taskId}: tests must all have testtype \"stdin\" or all \"functional\", not {string.Join(", ", types)}";
            return null;
        }
        if (types[0] == "stdin")
            return new Problem(taskId, "python", "", null, null,
                new StdioJudge([.. tests.Select(t => new StdioTest(t.Input, t.Output, t.IsPublic))], OutputMatch.Numeric, Tolerance: 0));

        var funcName = FuncName(record);
        if (funcName is null)
        {
            why = $"{taskId}: functional tests need metadata with func_name";
            return null;
        }
        var inputs = new List<string>();
        var expected = new List<string>();
        try
        {
            foreach (var test in tests)
            {
                // One JSON value per line, one line per argument.
                var args = test.Input.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(line => JsonDocument.Parse(line).RootElement.GetRawText());
                inputs.Add("[" + string.Join(", ", args) + "]");
                expected.Add(OutputComparison.ToPlainData(JsonDocument.Parse(test.Output).RootElement));
            }
        }
        catch (JsonException ex)
        {
            why = $"{taskId}: a functional test's input lines and output must be JSON: {JsonErrors.Describe(ex)}";
            return null;
        }
        var isClass = starter.Contains("class Solution", StringComparison.Ordinal);
        return new Problem(taskId, "python", "", isClass ? "Solution" : funcName, null,
            new IoFunctionJudge(inputs, tests.Count(t => t.IsPublic), 0, expected, IoOracle.ExactListsForTuples, Method: isClass ? funcName : null));
    }

    private static List<(string, string, string, bool)>? ReadTests(JsonElement record, string field, bool isPublic, out string why)
    {
        why = "";
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        JsonElement list;
        try
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString()!.Trim();
                if (text.Length == 0) return [];
                // Plain JSON, or LiveCodeBench's compressed form for large test sets.
                if (text[0] is not ('[' or '{')) text = PickledString.DecodeCompressed(text);
                list = JsonDocument.Parse(text).RootElement.Clone();
            }
            else
            {
                list = value;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            why = $"{field}: {ex.Message}";
            return null;
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            why = $"{field} must be a list of tests";
            return null;
        }
        var tests = new List<(string, string, string, bool)>();
        foreach (var test in list.EnumerateArray())
        {
            var input = test.ValueKind == JsonValueKind.Object ? JsonlFile.OptionalString(test, "input") : null;
            var output = test.ValueKind == JsonValueKind.Object ? JsonlFile.OptionalString(test, "output") : null;
            var type = test.ValueKind == JsonValueKind.Object ? JsonlFile.OptionalString(test, "testtype") ?? "stdin" : null;
            if (input is null || output is null || type is null)
            {
                why = $"{field}: each test needs string fields input and output (and testtype)";
                return null;
            }
            tests.Add((input, output, type, isPublic));
        }
        return tests;
    }

    private static string? FuncName(JsonElement record)
    {
        if (!record.TryGetProperty("metadata", out var metadata)) return null;
        try
        {
            var meta = metadata.ValueKind == JsonValueKind.String ? JsonDocument.Parse(metadata.GetString()!).RootElement : metadata;
            return meta.ValueKind == JsonValueKind.Object ? JsonlFile.OptionalString(meta, "func_name") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
