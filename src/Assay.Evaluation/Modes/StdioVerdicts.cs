using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Execution.Judging;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Turns a program's runs on stdin/stdout tests into its verdict: each run's stdout compared with the expected output
/// (or its alternatives) under the judge's rule (<see cref="StdoutComparison"/>), or the checker's run read as its
/// verdict. A test passes only when the program exits with status 0 and its output matches: printing the right
/// answer and then crashing is a runtime error, unless the rule, like DeepCoder's, judges the output whatever the
/// exit status (<see cref="StdoutComparison.JudgesOutputOfFailedRuns"/>). A fault anywhere (the checker's included)
/// makes the verdict `sandbox_error`, which is never stored.
/// </summary>
internal static class StdioVerdicts
{
    private const int ShownBytes = 300;

    /// <summary>The verdict of every test that ran, summed up: the first fault, else the first failure, decides.</summary>
    public static ProgramVerdict Decide(StdioJudge judge, StdioRuns runs)
    {
        if (runs.Compile is { Status: not RunStatus.Ok } compile)
        {
            return new ProgramVerdict
            {
                Status = compile.Status == RunStatus.SandboxError ? RunStatus.SandboxError : RunStatus.CompileError,
                Error = compile.Status == RunStatus.SandboxError ? compile.Message : Tail(compile.Stderr.Length > 0 ? compile.Stderr : compile.Stdout)
                    ?? compile.Message,
                CpuTimeMs = compile.CpuTimeMs,
                WallTimeMs = compile.WallTimeMs,
                TestsTotal = judge.Tests.Count,
                TestsPassed = 0,
                Isolated = true,
                // A compiler that ran out of time on a busy machine may not next time.
                Transient = compile.Status == RunStatus.TimeLimit,
            };
        }
        if (runs.CheckerMissing) return Fault("the problem asks for a checker but has none (or no toolchain for its language)", judge);
        if (runs.CheckerCompile is { } checkerCompile) return Fault("the problem's checker does not compile: " + Tail(checkerCompile.Stderr), judge);

        var outcomes = runs.Runs.Select((run, i) => run is null ? null : Outcome(judge, i, run)).ToArray();
        var tests = outcomes.Where(o => o is not null).Select(o => o!).ToList();
        var reports = runs.Runs.Where(r => r is not null).Select(r => r!.Program).ToList();
        var fault = Array.FindIndex(outcomes, o => o is { Status: RunStatus.SandboxError });
        var failed = fault >= 0 ? fault : Array.FindIndex(outcomes, o => o is { Passed: false });
        var status = failed < 0 ? RunStatus.Ok : outcomes[failed]!.Status;
        return new ProgramVerdict
        {
            Status = status,
            Error = failed < 0 ? null : $"test {failed}{(judge.Tests[failed].IsPublic ? " (public)" : "")}: {outcomes[failed]!.Error ?? status.ToWireName()}",
            Tests = tests,
            CpuTimeMs = Math.Round(reports.Sum(r => r.CpuTimeMs), 3),
            WallTimeMs = Math.Round(reports.Sum(r => r.WallTimeMs), 3),
            PeakMemoryKb = reports.Count == 0 ? 0 : reports.Max(r => r.PeakMemoryKb),
            TestsTotal = judge.Tests.Count,
            TestsPassed = tests.Count(t => t.Passed),
            Isolated = true,
        };
    }

    /// <summary>One test's outcome from its run (also what stops a program's tests early: the same rule).</summary>
    public static TestOutcome Outcome(StdioJudge judge, int index, StdioRun run)
    {
        var report = run.Program;
        var judged = report.Status == RunStatus.Ok
            || (report.Status is RunStatus.RuntimeError or RunStatus.MemoryLimit && StdoutComparison.JudgesOutputOfFailedRuns(judge.Match));
        if (!judged)
        {
            var why = report.Status switch
            {
                RunStatus.RuntimeError => (report.ExitCode is { } code ? $"exit code {code}" : report.Signal is { } signal ? $"signal {signal}" : "runtime error")
                    + (Tail(report.Stderr) is { } stderr ? ": " + stderr : ""),
                _ => report.Message ?? report.Status.ToWireName(),
            };
            return new TestOutcome(false, report.Status, why, report.CpuTimeMs);
        }
        if (judge.Match == OutputMatch.Checker) return Checked(run.Checker, report);
        var test = judge.Tests[index];
        string? difference = null;
        foreach (var expected in (IEnumerable<string>)[test.ExpectedOutput, .. test.Alternatives ?? []])
        {
            var (matches, why) = StdoutComparison.Compare(report.Stdout, expected, judge.Match, judge.Tolerance);
            if (matches) return new TestOutcome(true, RunStatus.Ok, null, report.CpuTimeMs);
            difference ??= why;
        }
        return new TestOutcome(false, RunStatus.WrongAnswer, difference, report.CpuTimeMs);
    }

    /// <summary>The checker's verdict: exit 0 accepts, 1 rejects; anything else is the checker's fault, not the program's.</summary>
    private static TestOutcome Checked(ProcessReport? checker, ProcessReport run) => checker switch
    {
        null => new TestOutcome(false, RunStatus.SandboxError, "the checker did not run", run.CpuTimeMs),
        { Status: RunStatus.Ok } => new TestOutcome(true, RunStatus.Ok, null, run.CpuTimeMs),
        { Status: RunStatus.RuntimeError, ExitCode: 1 } => new TestOutcome(false, RunStatus.WrongAnswer,
            "rejected by the checker" + (Tail(checker.Stdout + checker.Stderr) is { } said ? ": " + said : ""), run.CpuTimeMs),
        _ => new TestOutcome(false, RunStatus.SandboxError, $"the checker failed ({checker.Status.ToWireName()}"
            + (checker.ExitCode is { } code ? $", exit code {code}" : "") + ")" + (Tail(checker.Stderr) is { } stderr ? ": " + stderr : ""), run.CpuTimeMs),
    };

    private static ProgramVerdict Fault(string message, StdioJudge judge) =>
        new() { Status = RunStatus.SandboxError, Error = message, TestsTotal = judge.Tests.Count, TestsPassed = 0, Isolated = true };

    /// <summary>The end of a program's diagnostics (where the exception or compiler error is), shortened.</summary>
    private static string? Tail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        return trimmed.Length <= ShownBytes ? trimmed : "..." + trimmed[^ShownBytes..];
    }
}
