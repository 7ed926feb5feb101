using Assay.Core.Languages;
using System.Text.Json;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>
/// MultiPL-E's translations: `name` (the task id), `language`, `prompt`, `tests`, `stop_tokens`. The program is
/// prompt + completion + tests; completions are cut at the first stop token. There are no reference solutions.
/// </summary>
internal static class MultiPLEProblems
{
    public static bool Detect(JsonElement record) =>
        record.TryGetProperty("name", out _) && record.TryGetProperty("language", out _) && record.TryGetProperty("prompt", out _)
        && record.TryGetProperty("tests", out _);

    public static Problem? Read(JsonElement record, LanguageCatalog languages, out string why)
    {
        why = "";
        var name = JsonlFile.OptionalString(record, "name");
        var language = JsonlFile.OptionalString(record, "language");
        var prompt = JsonlFile.OptionalString(record, "prompt");
        var tests = JsonlFile.OptionalString(record, "tests");
        if (name is null || language is null || prompt is null || tests is null)
        {
            why = "MultiPL-E record needs string fields name, language, prompt and tests";
            return null;
        }
        List<string>? stops = null;
        if (record.TryGetProperty("stop_tokens", out var value))
        {
            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            {
                why = "MultiPL-E stop_tokens must be a list of strings";
                return null;
            }
            stops = value.EnumerateArray().Select(v => v.GetString()!).Where(s => s.Length > 0).ToList();
        }
        // MultiPL-E names languages by file extension (`rkt`, `cs`, `go_test.go`): the toolchain files list those spellings.
        return new Problem(name, languages.NameOf(language), prompt, null, null,
            new ProgramTestJudge(tests, StopTokens: stops));
    }
}
