using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation.Modes;

/// <summary>
/// One judging mode's whole path from samples to verdicts: calibration, planning distinct programs, the store,
/// the sandbox. The <see cref="Evaluator"/> hands each mode the samples whose problems it handles.
/// </summary>
internal abstract class JudgingMode
{
    protected JudgingMode(EvaluationContext context) => Context = context;

    protected EvaluationContext Context { get; }

    /// <summary>True when this mode judges problems with this specification.</summary>
    public abstract bool Handles(JudgeSpec judge);

    /// <summary>
    /// Judges the samples (all of problems this mode handles) and returns one result per sample, in the order
    /// given. <paramref name="problems"/> holds exactly the problems those samples answer.
    /// </summary>
    public abstract Task<ModeResult> EvaluateAsync(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples, EvaluationTally tally,
        CancellationToken cancellationToken);
}

/// <summary>What a mode produced for its share of the samples.</summary>
internal sealed record ModeResult(
    IReadOnlyList<SampleResult> Samples,
    IReadOnlyList<ProblemCalibration> Calibrations,
    int DistinctPrograms,
    int JudgedNow);

/// <summary>What every mode may use: the sandboxes, the store, the options, and the Python judge when one is needed.</summary>
internal sealed class EvaluationContext(ProgramRunner runner, IVerdictStore store, EvaluationOptions options, Func<PythonJudge> python)
{
    private readonly Lazy<PythonJudge> _python = new(python);

    public ProgramRunner Runner { get; } = runner;

    public IVerdictStore Store { get; } = store;

    public EvaluationOptions Options { get; } = options;

    /// <summary>The Python harness judge, created on first use (a run without Python problems needs no Python).</summary>
    public PythonJudge Python => _python.Value;
}

/// <summary>Counts samples with a verdict across all modes, for one progress report.</summary>
internal sealed class EvaluationTally(int total, IProgress<EvaluationProgress>? progress)
{
    private int _done;
    private int _fromStore;

    /// <summary>Samples whose verdicts came from the store before any judging.</summary>
    public void AddStored(int samples)
    {
        Interlocked.Add(ref _fromStore, samples);
        var done = Interlocked.Add(ref _done, samples);
        progress?.Report(new EvaluationProgress(done, total, Volatile.Read(ref _fromStore)));
    }

    /// <summary>Samples that just got a verdict from judging.</summary>
    public void AddJudged(int samples)
    {
        var done = Interlocked.Add(ref _done, samples);
        progress?.Report(new EvaluationProgress(done, total, Volatile.Read(ref _fromStore)));
    }

    public void Start() => progress?.Report(new EvaluationProgress(Volatile.Read(ref _done), total, Volatile.Read(ref _fromStore)));
}
