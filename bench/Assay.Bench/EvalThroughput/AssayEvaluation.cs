using System.Diagnostics;
using Assay.Bench.Measurement;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;
using Assay.Evaluation;
using Assay.Execution.Judging;
using Assay.Execution.Running;
using Assay.Storage.Sqlite;

namespace Assay.Bench.EvalThroughput;

/// <summary>
/// One in-process `assay eval`: the same loaders, ProgramRunner, PythonJudge and Evaluator the CLI uses, with
/// its defaults (batch isolation, calibrated limits), timed from sandbox start-up to the last verdict. Each run
/// gets a fresh runner, so warm supervisors or caches in memory never carry over from the previous run.
/// </summary>
internal static class AssayEvaluation
{
    public const JudgeIsolation Isolation = JudgeIsolation.Batch;

    /// <param name="problemsPath">The problem file.</param>
    /// <param name="samplesPath">The samples file.</param>
    /// <param name="storePath">The SQLite verdict store, or null for NoVerdictStore (a cold run, nothing read or written).</param>
    /// <param name="storeLabel">How the report names the store.</param>
    /// <param name="concurrency">Sandboxes at once.</param>
    /// <param name="ks">The k of pass@k.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<AssayRun> RunAsync(string problemsPath, string samplesPath, string? storePath, string storeLabel, int concurrency,
        IReadOnlyList<int> ks, CancellationToken cancellationToken)
    {
        var cpuBefore = CpuSnapshot.Take();
        var clock = Stopwatch.StartNew();
        var (runner, problem) = ProgramRunner.Create(concurrency);
        if (runner is null) throw new BenchmarkException(problem ?? "the sandbox is unavailable");
        AssayRun run;
        using (runner)
        {
            var python = runner.ResolveLanguage("python");
            if (python?.Toolchain is not { } toolchain) throw new BenchmarkException(python?.Problem ?? "no python toolchain file");

            var loadStart = clock.Elapsed;
            var bad = new List<BadRecord>();
            IReadOnlyList<Problem> problems;
            IReadOnlyList<Sample> samples;
            try
            {
                problems = ProblemFile.Load(problemsPath, ProblemFormat.Auto, BadRecordPolicy.Stop, bad, Assay.Execution.Toolchains.ToolchainCatalog.LoadDefault().Languages);
                samples = SampleFile.Load(samplesPath, problems, SampleFormat.Auto, BadRecordPolicy.Stop, bad, Assay.Execution.Toolchains.ToolchainCatalog.LoadDefault().Languages);
            }
            catch (BadRecordException ex)
            {
                throw new BenchmarkException(ex.Message, ex);
            }
            var loadSeconds = (clock.Elapsed - loadStart).TotalSeconds;
            if (samples.Count == 0) throw new BenchmarkException($"{samplesPath}: no samples");

            await using IVerdictStore store = storePath is null ? new NoVerdictStore() : await SqliteVerdictStore.OpenAsync(storePath, cancellationToken);
            var judge = new PythonJudge(runner, toolchain);
            var evaluator = new Evaluator(judge, store, new EvaluationOptions { Isolation = Isolation });
            var result = await evaluator.EvaluateAsync(problems, samples, null, cancellationToken);
            await store.FlushAsync(cancellationToken);
            var totalSeconds = clock.Elapsed.TotalSeconds;

            var verdicts = new Dictionary<(string TaskId, int CompletionId), AssaySampleVerdict>();
            foreach (var s in result.Samples)
            {
                var v = s.Verdict;
                var key = (s.Sample.TaskId, s.Sample.CompletionId);
                if (!verdicts.TryAdd(key, new AssaySampleVerdict(v.Passed, v.Status.ToWireName(), v.Error, v.Isolated, v.CpuTimeMs, s.Program)))
                    throw new BenchmarkException($"Assay reported {key.TaskId} #{key.CompletionId} twice");
            }
            run = new AssayRun(
                storeLabel,
                toolchain.Version,
                judge.Fingerprint,
                result.Samples.Select(s => s.Sample.TaskId).Distinct(StringComparer.Ordinal).Count(),
                result.Samples.Count,
                result.DistinctPrograms,
                result.JudgedNow,
                result.Samples.Count(s => s.FromStore),
                result.Samples.Count(s => s.Verdict.Isolated),
                result.Samples.Count(s => s.Verdict.Passed),
                result.Samples.GroupBy(s => s.Verdict.Status.ToWireName(), StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count())
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                Math.Round(totalSeconds, 3),
                Math.Round(loadSeconds, 3),
                Math.Round(result.Elapsed.TotalSeconds, 3),
                Math.Round(result.Samples.Count / totalSeconds, 2),
                PassAtKFigures.From(result.Samples.Select(s => (s.Sample.TaskId, s.Verdict.Passed)), ks),
                new RunCpu(0, 0, 0, 0),
                result.Calibrations.Where(c => c.Reference is { Passed: false })
                    .Select(c => $"{c.TaskId}: {c.Reference!.Status.ToWireName()}{(c.Reference.Error is { } e ? " (" + e + ")" : "")}")
                    .ToList())
            {
                Verdicts = verdicts,
            };
        }
        // After the runner is gone: its supervisors have been reaped, so their sandboxes' CPU time is counted.
        return run with { Cpu = RunCpu.From(CpuSnapshot.Take() - cpuBefore, run.TotalSeconds, run.Samples) };
    }
}
