using Assay.Core.Languages;
using System.Text.Json;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>
/// mxeval's MBXP and multilingual HumanEval: human-eval fields plus `language`; `test` is a test program run after
/// prompt + completion (`canonical_solution` may be null). Python records are plain human-eval problems (their
/// `test` defines `check(candidate)`) and are read as such.
/// </summary>
internal static class MxevalProblems
{
    public static bool Detect(JsonElement record) =>
        record.TryGetProperty("language", out _) && record.TryGetProperty("task_id", out _) && record.TryGetProperty("prompt", out _)
        && record.TryGetProperty("test", out _);

    public static bool IsPython(JsonElement record) => JsonlFile.OptionalString(record, "language") == "python";

    public static Problem? Read(JsonElement record, LanguageCatalog languages, out string why)
    {
        why = "";
        var taskId = JsonlFile.OptionalString(record, "task_id");
        var language = JsonlFile.OptionalString(record, "language");
        var prompt = JsonlFile.OptionalString(record, "prompt");
        var test = JsonlFile.OptionalString(record, "test");
        if (taskId is null || language is null || prompt is null || test is null)
        {
            why = "mxeval record needs string fields task_id, language, prompt and test";
            return null;
        }
        return new Problem(taskId, languages.NameOf(language), prompt, JsonlFile.OptionalString(record, "entry_point")?.Trim(),
            JsonlFile.OptionalString(record, "canonical_solution"), new ProgramTestJudge(test));
    }
}
