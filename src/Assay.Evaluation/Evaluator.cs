using System.Diagnostics;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Evaluation.Modes;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation;

/// <summary>
/// Scores samples against their problems: each judging mode calibrates its problems' time limits from their
/// reference solutions, judges every distinct program once (reusing stored verdicts), and returns each
/// sample's verdict. Inputs → plan (distinct programs and their limits) → sandbox → verdicts (stored) → results.
/// </summary>
public sealed class Evaluator
{
    private readonly IReadOnlyList<JudgingMode> _modes;

    /// <summary>An evaluator whose Python problems use the given judge (and its runner for everything else).</summary>
    public Evaluator(PythonJudge judge, IVerdictStore store, EvaluationOptions options)
        : this(judge?.Runner ?? throw new ArgumentNullException(nameof(judge)), store, options, () => judge)
    {
    }

    /// <summary>An evaluator on this runner; Python problems get a Python judge when there are any.</summary>
    public Evaluator(ProgramRunner runner, IVerdictStore store, EvaluationOptions options)
        : this(runner, store, options, () => DefaultPythonJudge(runner))
    {
    }

    private Evaluator(ProgramRunner runner, IVerdictStore store, EvaluationOptions options, Func<PythonJudge> python)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var context = new EvaluationContext(runner, store, options, python);
        _modes =
        [
            new PythonMode(context),
            new StdioMode(context),
            new ProgramTestMode(context),
        ];
    }

    /// <summary>True when some judging mode handles this problem's tests.</summary>
    public bool Supports(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return _modes.Any(m => m.Handles(problem.Judge));
    }

    public async Task<EvaluationResult> EvaluateAsync(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(samples);
        var clock = Stopwatch.StartNew();
        var byId = problems.ToDictionary(p => p.TaskId, StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (!byId.TryGetValue(sample.TaskId, out var problem))
                throw new ArgumentException($"sample for unknown problem {sample.TaskId}", nameof(samples));
            if (!Supports(problem))
                throw new NotSupportedException($"{problem.TaskId}: judging mode {problem.Judge.GetType().Name} is not supported");
        }

        var tally = new EvaluationTally(samples.Count, progress);
        tally.Start();
        var results = new SampleResult[samples.Count];
        var calibrations = new List<ProblemCalibration>();
        int distinct = 0, judged = 0;
        // Modes run one after another, each with all of the runner's sandboxes.
        foreach (var mode in _modes)
        {
            var indices = Enumerable.Range(0, samples.Count).Where(i => mode.Handles(byId[samples[i].TaskId].Judge)).ToList();
            if (indices.Count == 0) continue;
            var mine = indices.Select(i => samples[i]).ToList();
            var taskIds = mine.Select(s => s.TaskId).ToHashSet(StringComparer.Ordinal);
            var outcome = await mode.EvaluateAsync(problems.Where(p => taskIds.Contains(p.TaskId)).ToList(), mine, tally, cancellationToken);
            for (var j = 0; j < indices.Count; j++) results[indices[j]] = outcome.Samples[j];
            calibrations.AddRange(outcome.Calibrations);
            distinct += outcome.DistinctPrograms;
            judged += outcome.JudgedNow;
        }
        return new EvaluationResult(results, calibrations, distinct, judged, clock.Elapsed);
    }

    private static PythonJudge DefaultPythonJudge(ProgramRunner runner)
    {
        var python = runner.ResolveLanguage("python");
        if (python?.Toolchain is not { } toolchain)
            throw new InvalidOperationException("Python problems need the python toolchain: " + (python?.Problem ?? "no python toolchain file"));
        return new PythonJudge(runner, toolchain);
    }
}
