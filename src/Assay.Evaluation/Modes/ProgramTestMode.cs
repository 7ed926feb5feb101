using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Evaluation.Pipeline;
using Assay.Execution.Judging;
using Assay.Execution.Toolchains;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Problems whose tests are a program in the candidate's language (HumanEval-X, MultiPL-E, MBXP): each program is
/// the candidate followed by the test program and the judge's epilogue, compiled once per distinct source and run
/// once. What is its own: assembling that source (the language's toolchain file says how) and its key. Limits are
/// CPU time of the run, never of the compile.
/// </summary>
internal sealed class ProgramTestMode(ModeContext context) : IJudgingMode
{
    private readonly TestProgramJudge _judge = new(context.Runner);
    private readonly ConcurrentDictionary<string, ToolchainResolution?> _toolchains = new(StringComparer.Ordinal);

    public bool Handles(JudgeSpec judge) => judge is ProgramTestJudge;

    public TimedUnit Unit => TimedUnit.TestProgram;

    public bool NeedsReference(Problem problem, TimeLimitPolicy policy) => policy.FixedSeconds is null;

    public double? MeasuredCpuMs(ProgramVerdict reference) => reference.CpuTimeMs;

    public IReadOnlyList<double>? PerTestLimits(Problem problem, ProgramVerdict? reference, TimeLimitPolicy policy) => null;

    public Planned Plan(Problem problem, string language, string program, ProblemCalibration limits, bool reference)
    {
        var judge = (ProgramTestJudge)problem.Judge;
        var resolution = _toolchains.GetOrAdd(language, l => context.Runner.ResolveLanguage(l));
        if (resolution is not null && resolution.Definition.Name != _toolchains.GetOrAdd(problem.Language, l => context.Runner.ResolveLanguage(l))?.Definition.Name)
            return Planned.Refused($"{problem.TaskId}: its tests are a {problem.Language} program; a {resolution.Definition.Name} program cannot be judged against them");
        if (resolution?.Toolchain is not { } toolchain)
            return Planned.Refused($"no toolchain for language {language}" + (resolution?.Problem is { } p ? ": " + p : ""));
        if (toolchain.Definition.TestProgram is not { } assembly)
            return Planned.Refused($"test programs in {toolchain.Definition.DisplayName} are not supported: toolchains/{toolchain.Name}.yaml has no `test_program` section");
        var source = TestProgramSource.Assemble(assembly, program, judge.TestProgram, judge.AutoImports);
        var key = new StringBuilder()
            .Append(TestProgramSource.Version).Append('\0')
            .Append(toolchain.Fingerprint).Append('\0')
            .Append(source).Append('\0')
            .AppendJoin('\u0001', toolchain.Definition.AssertionSignals).Append('\0')
            .Append(limits.TimeLimitSeconds.ToString("R", CultureInfo.InvariantCulture));
        if (judge.MemoryLimitKb is { } memoryKb) key.Append("\0memory:").Append(memoryKb);
        var id = (reference ? "reference:" : "") + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
        return Planned.Of(new TestProgramWork(new TestProgramItem(id, toolchain, source, limits.TimeLimitSeconds, judge.MemoryLimitKb)));
    }

    /// <summary>Judges items with all of the runner's sandboxes busy.</summary>
    public async Task JudgeAsync(IReadOnlyList<PlannedWork> work, Func<PlannedWork, RawOutcome, ValueTask> onOutcome, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, context.Runner.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, options, async (entry, token) =>
            await onOutcome(entry, new RawVerdict(await _judge.JudgeAsync(((TestProgramWork)entry).Item, token))));
    }

    /// <summary>The test program decides in the sandbox: its exit status and the judge's marker are the verdict.</summary>
    public ProgramVerdict Decide(PlannedWork work, RawOutcome raw, ProblemCalibration limits) => ((RawVerdict)raw).Verdict;

    public ProgramVerdict DecideReference(PlannedWork work, RawOutcome raw) => ((RawVerdict)raw).Verdict;

    private sealed record TestProgramWork(TestProgramItem Item) : PlannedWork(Item.Id);
}
