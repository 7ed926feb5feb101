using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Execution.Judging;
using Assay.Execution.Toolchains;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Judging mode 3, stdin/stdout tests (APPS, LiveCodeBench, competitive programming), for programs in any
/// language with a toolchain. Per-test CPU limits: `--time-limit` when given, else the problem's own, else
/// calibrated from the reference solution (max(floor, factor × its slowest test)), else
/// <see cref="DefaultTimeLimitSeconds"/>. Every distinct (program, tests, rule, limit, toolchain) is judged once
/// and its verdict stored; sandbox faults are never stored.
/// </summary>
internal sealed class StdioMode(EvaluationContext context) : JudgingMode(context)
{
    /// <summary>Per-test CPU seconds for a problem with no limit of its own and no reference solution to measure.</summary>
    public const double DefaultTimeLimitSeconds = 2.0;

    private readonly Lazy<StdioTestRunner> _tests = new(() => new StdioTestRunner(context.Runner));
    private int _active;

    public override bool Handles(JudgeSpec judge) => judge is StdioJudge;

    public override async Task<ModeResult> EvaluateAsync(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples, EvaluationTally tally,
        CancellationToken cancellationToken)
    {
        var byId = problems.ToDictionary(p => p.TaskId, StringComparer.Ordinal);
        var calibrations = await CalibrateAsync(problems, cancellationToken);
        var limitOf = calibrations.ToDictionary(c => c.TaskId, c => c.TimeLimitSeconds, StringComparer.Ordinal);

        var items = new Dictionary<string, (StdioProgram Program, Problem Problem)>(StringComparer.Ordinal);
        var sampleKeys = new string[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var problem = byId[samples[i].TaskId];
            var program = ProgramFor(problem, samples[i].ProgramFor(problem), limitOf[problem.TaskId]);
            sampleKeys[i] = Key(program, "");
            items.TryAdd(sampleKeys[i], (program, problem));
        }

        var verdicts = new ConcurrentDictionary<string, ProgramVerdict>(await Context.Store.GetManyAsync(items.Keys, cancellationToken), StringComparer.Ordinal);
        var fromStore = verdicts.Keys.ToHashSet(StringComparer.Ordinal);
        var samplesPerKey = sampleKeys.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        tally.AddStored(fromStore.Sum(k => samplesPerKey[k]));
        var todo = items.Where(item => !verdicts.ContainsKey(item.Key)).ToList();
        await JudgeAllAsync(todo.Select(t => (t.Key, t.Value.Program)).ToList(), (key, verdict) =>
        {
            verdicts[key] = verdict;
            tally.AddJudged(samplesPerKey[key]);
        }, cancellationToken);
        await Context.Store.FlushAsync(cancellationToken);

        var results = new List<SampleResult>(samples.Count);
        for (var i = 0; i < samples.Count; i++)
            results.Add(new SampleResult(samples[i], items[sampleKeys[i]].Program.Source, verdicts[sampleKeys[i]], fromStore.Contains(sampleKeys[i])));
        return new ModeResult(results, calibrations, items.Count, todo.Count);
    }

    /// <summary>
    /// Judges programs, as many at once as there are sandboxes; each runs its tests in waves that share the
    /// sandboxes with the other programs in flight (one test at a time when every sandbox has a program).
    /// </summary>
    private async Task JudgeAllAsync(IReadOnlyList<(string Key, StdioProgram Program)> work, Action<string, ProgramVerdict> onVerdict,
        CancellationToken cancellationToken)
    {
        var concurrency = Context.Runner.Concurrency;
        int WaveSize() => Math.Max(1, concurrency / Math.Max(1, Volatile.Read(ref _active)));
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                Interlocked.Increment(ref _active);
                ProgramVerdict verdict;
                try
                {
                    verdict = await _tests.Value.JudgeAsync(entry.Program, WaveSize, ct);
                }
                finally
                {
                    Interlocked.Decrement(ref _active);
                }
                // Infrastructure faults are not remembered: the next run tries again.
                if (verdict.Status != RunStatus.SandboxError) Context.Store.Put(entry.Key, verdict);
                onVerdict(entry.Key, verdict);
            });
    }

    /// <summary>
    /// Measures each reference solution (all tests, generous limit) unless the limit is fixed or the problem's
    /// own; measurements are stored, so a re-run uses the very same limits.
    /// </summary>
    private async Task<List<ProblemCalibration>> CalibrateAsync(IReadOnlyList<Problem> problems, CancellationToken cancellationToken)
    {
        var measured = problems
            .Where(p => p.CanonicalSolution is not null && Context.Options.FixedTimeLimitSeconds is null && ((StdioJudge)p.Judge).TimeLimitSeconds is null)
            .Select(p => (Problem: p, Program: ProgramFor(p, p.Prompt + p.CanonicalSolution, Context.Options.CalibrationLimitSeconds) with { RunAllTests = true }))
            .Select(x => (x.Problem, x.Program, Key: Key(x.Program, "reference:")))
            .ToList();
        var references = new ConcurrentDictionary<string, ProgramVerdict>(
            await Context.Store.GetManyAsync(measured.Select(m => m.Key).ToList(), cancellationToken), StringComparer.Ordinal);
        await JudgeAllAsync(measured.Where(m => !references.ContainsKey(m.Key)).Select(m => (m.Key, m.Program)).ToList(),
            (key, verdict) => references[key] = verdict, cancellationToken);

        var result = new List<ProblemCalibration>(problems.Count);
        foreach (var problem in problems)
        {
            var judge = (StdioJudge)problem.Judge;
            var entry = measured.FirstOrDefault(m => m.Problem == problem);
            var reference = entry.Key is null ? null : references.GetValueOrDefault(entry.Key);
            var limit = Context.Options.FixedTimeLimitSeconds ?? judge.TimeLimitSeconds ?? DefaultTimeLimitSeconds;
            if (reference is { Passed: true, Tests.Count: > 0 })
                limit = Math.Max(Context.Options.TimeLimitFloorSeconds,
                    Math.Ceiling(Context.Options.TimeLimitFactor * reference.Tests.Max(t => t.CpuTimeMs) / 100.0) / 10.0);
            result.Add(new ProblemCalibration(problem.TaskId, limit, reference));
        }
        return result;
    }

    private StdioProgram ProgramFor(Problem problem, string source, double limitSeconds)
    {
        var judge = (StdioJudge)problem.Judge;
        return new StdioProgram(Toolchain(problem.Language), source, judge, limitSeconds,
            judge.Checker is { } checker ? Toolchain(checker.Language) : null, RunAllTests: judge.RunAllTests);
    }

    private Toolchain Toolchain(string language)
    {
        var resolved = Context.Runner.ResolveLanguage(language);
        return resolved?.Toolchain
            ?? throw new InvalidOperationException($"language {language}: " + (resolved?.Problem ?? "no toolchain file for it"));
    }

    /// <summary>Everything that decides a verdict: toolchains, program, tests, rule, checker and limits.</summary>
    private static string Key(StdioProgram program, string prefix)
    {
        var judge = program.Judge;
        var key = new StringBuilder()
            .Append("stdio-v1\0").Append(program.Toolchain.Fingerprint).Append('\0')
            .Append(program.Source).Append('\0')
            .Append(judge.Match).Append('\0').Append(judge.Tolerance.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
            .Append(program.TimeLimitSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
            .Append(program.RunAllTests).Append('\0');
        if (judge.MemoryLimitKb is { } memoryKb) key.Append("memory:").Append(memoryKb).Append('\0');
        if (judge.Checker is { } checker)
            key.Append(program.Checker?.Fingerprint).Append('\0').Append(checker.Source).Append('\0');
        foreach (var test in judge.Tests)
        {
            key.Append(test.Input.Length).Append(':').Append(test.Input).Append(test.ExpectedOutput.Length).Append(':').Append(test.ExpectedOutput);
            foreach (var alternative in test.Alternatives ?? []) key.Append('|').Append(alternative.Length).Append(':').Append(alternative);
            key.Append('\u0001');
        }
        return prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
    }
}
