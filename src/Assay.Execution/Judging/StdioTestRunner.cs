using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Judging;

/// <summary>One program to judge on stdin/stdout tests.</summary>
/// <param name="Toolchain">The program's language.</param>
/// <param name="Source">The whole program.</param>
/// <param name="Judge">The tests and how outputs are compared.</param>
/// <param name="TimeLimitSeconds">CPU-time limit of each test run (wall-clock backstop: <see cref="TimeLimitPolicy.WallBackstop"/>).</param>
/// <param name="Checker">The checker's toolchain, when the judge's rule is <see cref="OutputMatch.Checker"/>.</param>
/// <param name="RunAllTests">Run every test even after one failed (default: stop at the first failure).</param>
public sealed record StdioProgram(Toolchain Toolchain, string Source, StdioJudge Judge, double TimeLimitSeconds, Toolchain? Checker = null,
    bool RunAllTests = false);

/// <summary>
/// Judges programs on stdin/stdout tests: the program is prepared (compiled) once, then run in a fresh sandbox
/// per test with the test's input on stdin; its stdout is compared outside the sandbox, or by the problem's
/// checker in a sandbox of its own. A test passes only when the program exits with status 0 and its output
/// matches: printing the right answer and then crashing is a runtime error (unless the judge's rule, like DeepCoder's,
/// judges the output whatever the exit status: <see cref="StdoutComparison.JudgesOutputOfFailedRuns"/>).
/// </summary>
public sealed class StdioTestRunner
{
    private const int ShownBytes = 300;
    private readonly IProgramRunner _runner;

    public StdioTestRunner(IProgramRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <summary>
    /// Judges one program. Tests run in waves of <paramref name="waveSize"/> (asked before each wave, so a
    /// caller judging many programs at once can keep every sandbox busy without running tests past a failure
    /// needlessly); after a wave with a failing test no further wave starts, unless every test is to run.
    /// Outcomes of all tests that ran are kept. A sandbox fault anywhere makes the verdict `sandbox_error`.
    /// </summary>
    public async Task<ProgramVerdict> JudgeAsync(StdioProgram program, Func<int>? waveSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        var judge = program.Judge;
        var prepared = await _runner.PrepareAsync(program.Toolchain, program.Source, cancellationToken);
        if (prepared.Compile is { Status: not RunStatus.Ok } compile)
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
        PreparedProgram? checker = null;
        if (judge.Match == OutputMatch.Checker)
        {
            if (judge.Checker is null || program.Checker is null)
                return Fault("the problem asks for a checker but has none (or no toolchain for its language)", judge);
            checker = await _runner.PrepareAsync(program.Checker, judge.Checker.Source, cancellationToken);
            if (!checker.IsRunnable)
                return Fault("the problem's checker does not compile: " + Tail(checker.Compile?.Stderr), judge);
        }

        var limits = TimeLimitPolicy.Apply(program.Toolchain.RunLimits(ResourceLimits.Default), program.TimeLimitSeconds);
        if (judge.MemoryLimitKb is { } memoryKb) limits = limits with { MemoryKb = memoryKb };
        var outcomes = new TestOutcome?[judge.Tests.Count];
        var ran = new ProcessReport?[judge.Tests.Count];
        var next = 0;
        while (next < judge.Tests.Count)
        {
            var size = Math.Max(1, waveSize?.Invoke() ?? _runner.Concurrency);
            var wave = Enumerable.Range(next, Math.Min(size, judge.Tests.Count - next)).ToList();
            next += wave.Count;
            await Task.WhenAll(wave.Select(async i =>
            {
                var (outcome, report) = await RunTestAsync(prepared, checker, judge, judge.Tests[i], limits, cancellationToken);
                outcomes[i] = outcome;
                ran[i] = report;
            }));
            if (!program.RunAllTests && !judge.RunAllTests && wave.Any(i => !outcomes[i]!.Passed)) break;
        }
        return Summarise(judge, outcomes, ran);
    }

    private async Task<(TestOutcome, ProcessReport)> RunTestAsync(PreparedProgram prepared, PreparedProgram? checker, StdioJudge judge, StdioTest test,
        ResourceLimits limits, CancellationToken cancellationToken)
    {
        var report = await _runner.RunPreparedAsync(prepared, Encoding.UTF8.GetBytes(test.Input), limits, cancellationToken);
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
            return (new TestOutcome(false, report.Status, why, report.CpuTimeMs), report);
        }
        if (checker is not null)
            return (await CheckAsync(checker, test, report, cancellationToken), report);
        string? difference = null;
        foreach (var expected in (IEnumerable<string>)[test.ExpectedOutput, .. test.Alternatives ?? []])
        {
            var (matches, why) = StdoutComparison.Compare(report.Stdout, expected, judge.Match, judge.Tolerance);
            if (matches) return (new TestOutcome(true, RunStatus.Ok, null, report.CpuTimeMs), report);
            difference ??= why;
        }
        return (new TestOutcome(false, RunStatus.WrongAnswer, difference, report.CpuTimeMs), report);
    }

    /// <summary>The checker's verdict: exit 0 accepts, 1 rejects; anything else is the checker's fault, not the program's.</summary>
    private async Task<TestOutcome> CheckAsync(PreparedProgram checker, StdioTest test, ProcessReport run, CancellationToken cancellationToken)
    {
        var limits = checker.Toolchain.RunLimits(ResourceLimits.Default) with { TmpfsKb = 256 * 1024 };
        IReadOnlyList<(string, byte[])> files =
        [
            ("input.txt", Encoding.UTF8.GetBytes(test.Input)),
            ("expected.txt", Encoding.UTF8.GetBytes(test.ExpectedOutput)),
            ("output.txt", Encoding.UTF8.GetBytes(run.Stdout)),
        ];
        var report = await _runner.RunPreparedAsync(checker, ReadOnlyMemory<byte>.Empty, limits, files, cancellationToken);
        return report switch
        {
            { Status: RunStatus.Ok } => new TestOutcome(true, RunStatus.Ok, null, run.CpuTimeMs),
            { Status: RunStatus.RuntimeError, ExitCode: 1 } => new TestOutcome(false, RunStatus.WrongAnswer,
                "rejected by the checker" + (Tail(report.Stdout + report.Stderr) is { } said ? ": " + said : ""), run.CpuTimeMs),
            _ => new TestOutcome(false, RunStatus.SandboxError, $"the checker failed ({report.Status.ToWireName()}"
                + (report.ExitCode is { } code ? $", exit code {code}" : "") + ")" + (Tail(report.Stderr) is { } stderr ? ": " + stderr : ""), run.CpuTimeMs),
        };
    }

    private static ProgramVerdict Summarise(StdioJudge judge, TestOutcome?[] outcomes, ProcessReport?[] ran)
    {
        var tests = outcomes.Where(o => o is not null).Select(o => o!).ToList();
        var reports = ran.Where(r => r is not null).Select(r => r!).ToList();
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
