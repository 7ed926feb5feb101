using System.Diagnostics;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Evaluation.Pipeline;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation;

/// <summary>
/// Scores samples against their problems (`assay eval`): each sample becomes a request to the one
/// <see cref="JudgingPipeline"/>, and each verdict comes back as the sample's result.
/// </summary>
public sealed class Evaluator
{
    private readonly JudgingPipeline _pipeline;
    private readonly IProgramRunner _runner;

    /// <summary>An evaluator whose Python problems use the given judge (and its runner for everything else).</summary>
    public Evaluator(PythonJudge judge, IVerdictStore store, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(judge);
        _runner = judge.Runner;
        _pipeline = new JudgingPipeline(judge.Runner, store, options, judge);
    }

    /// <summary>An evaluator on this runner; Python problems get a Python judge when there are any.</summary>
    public Evaluator(IProgramRunner runner, IVerdictStore store, EvaluationOptions options)
    {
        _runner = runner;
        _pipeline = new JudgingPipeline(runner, store, options);
    }

    /// <summary>True when some judging mode handles this problem's tests.</summary>
    public bool Supports(Problem problem) => _pipeline.Supports(problem);

    public async Task<EvaluationResult> EvaluateAsync(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(samples);
        var clock = Stopwatch.StartNew();
        var byId = problems.ToDictionary(p => p.TaskId, StringComparer.Ordinal);
        var requests = new List<JudgeRequest>(samples.Count);
        foreach (var sample in samples)
        {
            if (!byId.TryGetValue(sample.TaskId, out var problem))
                throw new ArgumentException($"sample for unknown problem {sample.TaskId}", nameof(samples));
            if (!Supports(problem))
                throw new NotSupportedException($"{problem.TaskId}: judging mode {problem.Judge.GetType().Name} is not supported");
            requests.Add(new JudgeRequest(problem, sample.ProgramFor(problem), sample.Language));
        }
        var judged = await _pipeline.JudgeAsync(requests, progress, cancellationToken);
        var results = new SampleResult[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var language = requests[i].Language ?? requests[i].Problem.Language;
            results[i] = new SampleResult(samples[i], requests[i].Program, judged.Programs[i].Verdict, judged.Programs[i].FromStore,
                _runner.Catalog.Find(language)?.Name ?? language);
        }
        return new EvaluationResult(results, judged.Calibrations, judged.DistinctPrograms, judged.JudgedNow, clock.Elapsed);
    }
}
