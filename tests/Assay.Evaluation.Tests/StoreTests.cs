using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Judging;
using Assay.Execution.Running;
using Assay.Storage.Sqlite;

namespace Assay.Evaluation.Tests;

/// <summary>Reproducibility and the verdict store: same inputs, same verdicts; stored work is never redone.</summary>
[Collection(SandboxCollection.Name)]
public sealed class StoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Eight distinct programs over both tiny problems, half of them right, in interleaved order.</summary>
    private static readonly (string TaskId, string Completion, bool Passes)[] Mixed =
    [
        (Tiny.AddId, "    return a + b\n", true),
        (Tiny.MulId, "    return a * b\n", true),
        (Tiny.AddId, "    return a - b\n", false),
        (Tiny.MulId, "    return a + b\n", false),
        (Tiny.AddId, "    return sum([a, b])\n", true),
        (Tiny.MulId, "    return a ** b\n", false),
        (Tiny.AddId, "    return undefined_name\n", false),
        (Tiny.MulId, "    return b * a\n", true),
    ];

    private string WriteSamples(string name, IEnumerable<(string TaskId, string Completion, bool Passes)> samples) =>
        _dir.WriteJsonl(name, samples.Select(s => Tiny.Completion(s.TaskId, s.Completion)));

    [SandboxFact]
    public async Task Same_samples_twice_give_identical_verdicts_and_the_second_run_is_all_from_the_store()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = WriteSamples("samples.jsonl", Mixed);
        var store = _dir.PathOf("verdicts.db");

        var first = await AssayCli.EvalAsync(_dir, problems, samples, store, "--k", "1");
        var second = await AssayCli.EvalAsync(_dir, problems, samples, store, "--k", "1");
        var unstored = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1");

        Assert.Equal(Mixed.Select(m => m.Passes), first.Verdicts.Select(v => v.Passed));
        Assert.Equal(first.Verdicts, second.Verdicts);
        Assert.Equal(first.Verdicts, unstored.Verdicts);
        Assert.Equal(first.PassAt(1), second.PassAt(1));

        Assert.Equal(Mixed.Length, first.Int("distinct_programs"));
        Assert.Equal(Mixed.Length, first.Int("judged_now"));
        Assert.Equal(0, first.Int("samples_from_store"));

        Assert.Equal(second.Int("samples"), second.Int("samples_from_store"));
        Assert.Equal(0, second.Int("judged_now"));
        Assert.All(second.Results, r => Assert.True(r.GetProperty("from_store").GetBoolean()));
        Assert.All(first.Results, r => Assert.False(r.GetProperty("from_store").GetBoolean()));
    }

    [SandboxFact]
    public async Task A_run_on_part_of_the_samples_is_resumed_by_judging_only_the_rest()
    {
        var problems = Tiny.WriteProblems(_dir);
        var store = _dir.PathOf("verdicts.db");
        // The "interrupted" run got as far as the first three samples.
        var part = await AssayCli.EvalAsync(_dir, problems, WriteSamples("part.jsonl", Mixed.Take(3)), store, "--k", "1");
        Assert.Equal(3, part.Int("judged_now"));

        var full = await AssayCli.EvalAsync(_dir, problems, WriteSamples("full.jsonl", Mixed), store, "--k", "1");
        Assert.Equal(Mixed.Length, full.Int("distinct_programs"));
        Assert.Equal(Mixed.Length - 3, full.Int("judged_now"));
        Assert.Equal(3, full.Int("samples_from_store"));
        Assert.Equal([true, true, true, false, false, false, false, false], full.Results.Select(r => r.GetProperty("from_store").GetBoolean()));
        Assert.Equal(Mixed.Select(m => m.Passes), full.Verdicts.Select(v => v.Passed));
        Assert.Equal(part.Verdicts, full.Verdicts.Take(3));
    }

    [SandboxFact]
    public async Task Duplicate_programs_are_judged_once_and_share_their_verdict()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl",
        [
            Tiny.Completion(Tiny.AddId, "    return a + b\n"),
            Tiny.Completion(Tiny.AddId, "    return a - b\n"),
            Tiny.Completion(Tiny.AddId, "    return a + b\n"),
            Tiny.Completion(Tiny.AddId, "    return a - b\n"),
            Tiny.Completion(Tiny.AddId, "    return a + b\n"),
            // The same completion text under another prompt is another program.
            Tiny.Completion(Tiny.MulId, "    return a + b\n"),
            // A whole-program solution equal to prompt + completion is the same program as that completion.
            new { task_id = Tiny.AddId, solution = Tiny.AddPrompt + "    return a + b\n" },
        ]);
        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1");

        Assert.Equal(7, run.Int("samples"));
        Assert.Equal(3, run.Int("distinct_programs"));
        Assert.Equal(3, run.Int("judged_now"));
        Assert.Equal([true, false, true, false, true, false, true], run.Verdicts.Select(v => v.Passed));
        Assert.Equal([0, 1, 2, 3, 4, 0, 5], run.Verdicts.Select(v => v.CompletionId));
    }

    /// <summary>Cancels the evaluation once enough sample verdicts have arrived: a run killed half-way.</summary>
    private sealed class CancelAfter(CancellationTokenSource cancellation, int verdicts) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value)
        {
            if (value.Done >= verdicts) cancellation.Cancel();
        }
    }

    [SandboxFact]
    public async Task An_evaluation_cancelled_half_way_resumes_with_only_the_missing_programs()
    {
        var problemsPath = Tiny.WriteProblems(_dir);
        const int count = 10;
        // Even i: right (a + b + 0*i); odd i: wrong by i.
        var samplesPath = _dir.WriteJsonl("samples.jsonl", Enumerable.Range(0, count).Select(i =>
            Tiny.Completion(Tiny.AddId, i % 2 == 0 ? $"    return a + b + 0 * {i}\n" : $"    return a + b + {i}\n")));
        var problems = ProblemFile.Load(problemsPath, ProblemFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
        IReadOnlyList<Sample> samples = SampleFile.Load(samplesPath, problems, SampleFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
        var db = _dir.PathOf("verdicts.db");
        // A fixed limit: no calibration, so the store holds sample verdicts only.
        var options = new EvaluationOptions { Isolation = JudgeIsolation.Batch, TimeLimit = TimeSpan.FromSeconds(2) };

        var (runner, problem) = ProgramRunner.Create(concurrency: 1);
        Assert.True(runner is not null, problem);
        using (runner)
        {
            var python = runner.ResolveLanguage("python")?.Toolchain;
            Assert.NotNull(python);

            using (var cancellation = new CancellationTokenSource())
            {
                await using var store = await SqliteVerdictStore.OpenAsync(db);
                // Batches of two, one sandbox at a time: verdicts arrive two by two, and the run stops after the second batch.
                var evaluator = new Evaluator(new PythonJudge(runner, python, batchSize: 2), store, options);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                    evaluator.EvaluateAsync(problems, samples, new CancelAfter(cancellation, 3), cancellation.Token));
            }

            long stored;
            await using (var store = await SqliteVerdictStore.OpenAsync(db))
                stored = await store.CountAsync();
            Assert.InRange(stored, 3, count - 1);

            await using (var store = await SqliteVerdictStore.OpenAsync(db))
            {
                var result = await new Evaluator(new PythonJudge(runner, python, batchSize: 2), store, options).EvaluateAsync(problems, samples);
                Assert.Equal(count, result.DistinctPrograms);
                Assert.Equal(count - stored, result.JudgedNow);
                Assert.Equal(stored, result.Samples.Count(s => s.FromStore));
                Assert.Equal(Enumerable.Range(0, count).Select(i => i % 2 == 0), result.Samples.Select(s => s.Verdict.Passed));
            }
        }
    }
}
