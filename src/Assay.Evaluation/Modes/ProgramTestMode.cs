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
/// Problems whose tests are a program in the candidate's language (HumanEval-X, MultiPL-E, MBXP): each program is
/// the candidate followed by the test program and the judge's epilogue, compiled once per distinct source and run
/// once. Time limits are CPU time of the run (never of the compile), calibrated from the reference solution.
/// </summary>
internal sealed class ProgramTestMode(EvaluationContext context) : JudgingMode(context)
{
    /// <summary>
    /// The limit of problems without a passing reference solution to calibrate from: generous, because a
    /// JVM or .NET start alone costs a few hundred milliseconds of CPU, yet small enough that a few infinite
    /// loops do not dominate a run.
    /// </summary>
    private const double UncalibratedLimitSeconds = 5.0;

    private readonly TestProgramJudge _judge = new(context.Runner);
    private readonly ConcurrentDictionary<string, ToolchainResolution?> _toolchains = new(StringComparer.Ordinal);

    public override bool Handles(JudgeSpec judge) => judge is ProgramTestJudge;

    public override async Task<ModeResult> EvaluateAsync(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples, EvaluationTally tally,
        CancellationToken cancellationToken)
    {
        var byId = problems.ToDictionary(p => p.TaskId, StringComparer.Ordinal);
        var calibrations = await CalibrateAsync(problems, cancellationToken);
        var byTask = calibrations.ToDictionary(c => c.TaskId, StringComparer.Ordinal);

        // Plan: one item per distinct (toolchain, assembled program, limit); many samples may share it.
        var items = new Dictionary<string, TestProgramItem>(StringComparer.Ordinal);
        var sampleKeys = new string[samples.Count];
        var programs = new string[samples.Count];
        var unrunnable = new Dictionary<string, ProgramVerdict>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++)
        {
            var problem = byId[samples[i].TaskId];
            programs[i] = samples[i].ProgramFor(problem);
            var (item, missing) = ItemFor(problem, programs[i], byTask[problem.TaskId].TimeLimitSeconds, "");
            if (item is null)
            {
                sampleKeys[i] = "missing:" + problem.Language;
                unrunnable[sampleKeys[i]] = missing!;
                continue;
            }
            sampleKeys[i] = item.Id;
            items.TryAdd(item.Id, item);
        }

        var verdicts = new ConcurrentDictionary<string, ProgramVerdict>(await Context.Store.GetManyAsync(items.Keys, cancellationToken), StringComparer.Ordinal);
        var fromStore = verdicts.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (key, verdict) in unrunnable) verdicts[key] = verdict;
        var samplesPerKey = sampleKeys.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        tally.AddStored(fromStore.Sum(k => samplesPerKey[k]));
        tally.AddJudged(unrunnable.Keys.Sum(k => samplesPerKey[k]));

        var todo = items.Values.Where(item => !verdicts.ContainsKey(item.Id)).ToList();
        await JudgeAllAsync(todo, (id, verdict) =>
        {
            verdicts[id] = verdict;
            tally.AddJudged(samplesPerKey[id]);
        }, cancellationToken);
        await Context.Store.FlushAsync(cancellationToken);

        var results = new List<SampleResult>(samples.Count);
        for (var i = 0; i < samples.Count; i++)
            results.Add(new SampleResult(samples[i], programs[i], verdicts[sampleKeys[i]], fromStore.Contains(sampleKeys[i])));
        return new ModeResult(results, calibrations, items.Count, todo.Count);
    }

    /// <summary>
    /// Runs each reference solution once with a generous limit; the problem's limit is max(floor, factor × its
    /// CPU time). Measurements are stored like verdicts, so a re-run uses the very same limits.
    /// </summary>
    private async Task<List<ProblemCalibration>> CalibrateAsync(IReadOnlyList<Problem> problems, CancellationToken cancellationToken)
    {
        var references = new Dictionary<string, TestProgramItem>(StringComparer.Ordinal);
        if (Context.Options.FixedTimeLimitSeconds is null)
        {
            foreach (var problem in problems.Where(p => p.CanonicalSolution is not null))
            {
                var (item, _) = ItemFor(problem, problem.Prompt + problem.CanonicalSolution, Context.Options.CalibrationLimitSeconds, "reference:");
                if (item is not null) references[problem.TaskId] = item;
            }
        }
        var measured = new ConcurrentDictionary<string, ProgramVerdict>(
            await Context.Store.GetManyAsync(references.Values.Select(i => i.Id).Distinct().ToList(), cancellationToken), StringComparer.Ordinal);
        var todo = references.Values.Where(i => !measured.ContainsKey(i.Id)).DistinctBy(i => i.Id).ToList();
        await JudgeAllAsync(todo, (id, verdict) => measured[id] = verdict, cancellationToken);

        var result = new List<ProblemCalibration>(problems.Count);
        foreach (var problem in problems)
        {
            var reference = references.TryGetValue(problem.TaskId, out var item) ? measured.GetValueOrDefault(item.Id) : null;
            var limit = Context.Options.FixedTimeLimitSeconds
                ?? (reference is { Passed: true }
                    ? Math.Max(Context.Options.TimeLimitFloorSeconds, Math.Ceiling(Context.Options.TimeLimitFactor * reference.CpuTimeMs / 100.0) / 10.0)
                    : Math.Max(Context.Options.TimeLimitFloorSeconds, UncalibratedLimitSeconds));
            result.Add(new ProblemCalibration(problem.TaskId, limit, reference));
        }
        return result;
    }

    /// <summary>Judges items with all of the runner's sandboxes busy; stores each verdict that may be stored.</summary>
    private async Task JudgeAllAsync(IReadOnlyList<TestProgramItem> items, Action<string, ProgramVerdict> onVerdict, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Context.Runner.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(items, options, async (item, token) =>
        {
            var judged = await _judge.JudgeAsync(item, token);
            // Infrastructure faults (and compiler timeouts, which a less busy machine may not hit) are not remembered.
            if (judged.Storable) Context.Store.Put(item.Id, judged.Verdict);
            onVerdict(item.Id, judged.Verdict);
        });
    }

    private (TestProgramItem? Item, ProgramVerdict? Missing) ItemFor(Problem problem, string program, double limitSeconds, string idPrefix)
    {
        var judge = (ProgramTestJudge)problem.Judge;
        var resolution = _toolchains.GetOrAdd(problem.Language, language => Context.Runner.ResolveLanguage(language));
        if (resolution?.Toolchain is not { } toolchain)
        {
            var why = $"no toolchain for language {problem.Language}" + (resolution?.Problem is { } p ? ": " + p : "");
            return (null, new ProgramVerdict { Status = RunStatus.SandboxError, Error = why });
        }
        string source;
        try
        {
            source = TestProgramSource.Assemble(toolchain.Name, program, judge.TestProgram, judge.AutoImports);
        }
        catch (NotSupportedException ex)
        {
            return (null, new ProgramVerdict { Status = RunStatus.SandboxError, Error = ex.Message });
        }
        var key = new StringBuilder()
            .Append(TestProgramSource.Version).Append('\0')
            .Append(toolchain.Fingerprint).Append('\0')
            .Append(source).Append('\0')
            .Append(limitSeconds.ToString("R", CultureInfo.InvariantCulture));
        if (judge.MemoryLimitKb is { } memoryKb) key.Append("\0memory:").Append(memoryKb);
        var id = idPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
        return (new TestProgramItem(id, toolchain, source, limitSeconds, judge.MemoryLimitKb), null);
    }
}
