using System.Text.Json;
using Assay.Datasets.Jsonl;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.MultiLanguage;

/// <summary>
/// mxeval's MBXP files in ../shared/data (read-only; slices and results go to temp dirs): chosen tasks whose
/// canonical solutions exercise a harness piece (C#'s CompareNetObjects stand-in, TypeScript's imports of
/// uninstalled npm packages, Ruby's `Set`), judged with `--canonical`; and Go, whose file has no canonical
/// solutions, with completions written here. Full-file results are in docs/DATASET-NOTES.md.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class MbxpRealDataTests : IDisposable
{
    private const string Mbxp = "mxeval/mbxp/";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Results compared with CompareNetObjects: a double, a dictionary of lists, nested lists of strings, lists of
    /// objects mixing strings and ints all pass; MBCSP/54's stub (it returns its argument unsorted) fails.
    /// </summary>
    [ToolchainFact(["csharp"], Mbxp + "mbcsp_release_v1.2.jsonl")]
    public async Task Csharp_CompareNetObjects_stand_in_judges_real_results()
    {
        var verdicts = await CanonicalAsync("mbcsp_release_v1.2.jsonl", "MBCSP/14", "MBCSP/174", "MBCSP/241", "MBCSP/381", "MBCSP/54");

        Assert.Equal(["ok", "ok", "ok", "ok", "wrong_answer"], verdicts.Select(v => v.Status));
        Assert.Contains("test case 0 failed to pass", verdicts[4].Error);
    }

    /// <summary>
    /// Prompts that import the uninstalled npm packages mathjs (MBTSP/3) and heap-js (MBTSP/4) without using them,
    /// and a solution calling ES2021's `replaceAll` (MBTSP/377), compile and pass; MBTSP/54's stub fails.
    /// </summary>
    [ToolchainFact(["typescript"], Mbxp + "mbtsp_release_v1.2.jsonl")]
    public async Task Typescript_solutions_with_package_imports_and_newer_library_methods_pass()
    {
        var verdicts = await CanonicalAsync("mbtsp_release_v1.2.jsonl", "MBTSP/3", "MBTSP/4", "MBTSP/377", "MBTSP/54");

        Assert.Equal(["ok", "ok", "ok", "wrong_answer"], verdicts.Select(v => v.Status));
        Assert.Contains("test case 0 failed to pass", verdicts[3].Error);
    }

    /// <summary>
    /// The Set tasks: Ruby 3.1 needs `require 'set'` for `Set` and `Array#to_set`, which the toolchain preloads;
    /// MBRBP/453's solution calls `exit`, which still fails.
    /// </summary>
    [ToolchainFact(["ruby"], Mbxp + "mbrbp_release_v1.2.jsonl")]
    public async Task Ruby_solutions_using_Set_without_require_pass()
    {
        var verdicts = await CanonicalAsync("mbrbp_release_v1.2.jsonl", "MBRBP/115", "MBRBP/341", "MBRBP/582", "MBRBP/945", "MBRBP/453");

        Assert.Equal(["ok", "ok", "ok", "ok", "runtime_error"], verdicts.Select(v => v.Status));
        Assert.Contains("before its tests finished", verdicts[4].Error);
    }

    /// <summary>
    /// MBGP has no canonical solutions: completions written here for two tasks, right and wrong, through the
    /// real prompts and test programs (package main, the tests' own `main` and their JSON `deepCompare`).
    /// MBGP/3's prompt imports "math": as under mxeval's `go run`, a completion that does not use it does not
    /// compile (Go rejects unused imports; only HumanEval-X's harness blanks them).
    /// </summary>
    [ToolchainFact(["go"], Mbxp + "mbgp_release_v1.1.jsonl")]
    public async Task Go_completions_get_the_verdicts_they_deserve()
    {
        var problems = Slice("mbgp_release_v1.1.jsonl", "MBGP/3", "MBGP/8");
        var samples = _dir.WriteJsonl("go-samples.jsonl",
        [
            new { task_id = "MBGP/3", completion = "\tfor i := 2; i <= int(math.Sqrt(float64(n))); i++ {\n\t\tif n%i == 0 {\n\t\t\treturn true\n\t\t}\n\t}\n\treturn n < 2\n}\n" },
            new { task_id = "MBGP/3", completion = "\treturn n%2 == 0 && math.MaxInt > 0\n}\n" },
            new { task_id = "MBGP/3", completion = "\tfor i := 2; i*i <= n; i++ {\n\t\tif n%i == 0 {\n\t\t\treturn true\n\t\t}\n\t}\n\treturn n < 2\n}\n" },
            new { task_id = "MBGP/8", completion = "\tsquares := make([]int, len(nums))\n\tfor i, x := range nums {\n\t\tsquares[i] = x * x\n\t}\n\treturn squares\n}\n" },
            new { task_id = "MBGP/8", completion = "\treturn nums\n}\n" },
        ]);

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--time-limit", "2");

        var errors = run.Results.Select(r => r.GetProperty("error").GetString() ?? "").ToList();
        Assert.True(run.Verdicts.Select(v => v.Status).SequenceEqual(["ok", "wrong_answer", "compile_error", "ok", "wrong_answer"]), string.Join("\n---\n", errors));
        Assert.Contains("test case 0 failed to pass", errors[1]);
        Assert.Contains("\"math\"", errors[2]);
        Assert.Contains("not used", errors[2]);
        Assert.Contains("test case 0 failed to pass", errors[4]);
    }

    /// <summary>The records <paramref name="taskIds"/> of one MBXP file, in that order, as a problem file of their own.</summary>
    private string Slice(string file, params string[] taskIds)
    {
        var records = JsonlFile.Read(Requirements.Data(Mbxp + file), BadRecordPolicy.Stop, new List<BadRecord>())
            .Select(r => r.Record)
            .ToDictionary(r => r.GetProperty("task_id").GetString()!, r => r.GetRawText());
        return _dir.WriteLines(file, taskIds.Select(id => records[id]));
    }

    /// <summary>`assay eval --canonical` on those records: each one's status and error, in the order given.</summary>
    private async Task<IReadOnlyList<(string Status, string Error)>> CanonicalAsync(string file, params string[] taskIds)
    {
        var results = _dir.PathOf("results.jsonl");
        var cli = await AssayCli.RunAsync("eval", "--problems", Slice(file, taskIds), "--canonical", "--json", "--no-store", "--k", "1", "--out", results);

        Assert.True(cli.ExitCode == 0, cli.ToString());
        var byTask = File.ReadLines(results).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(r => r.GetProperty("task_id").GetString()!);
        Assert.Equal(taskIds.Length, byTask.Count);
        return taskIds.Select(id => (byTask[id].GetProperty("status").GetString()!, byTask[id].GetProperty("error").GetString() ?? "")).ToList();
    }
}
