using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Turns the outputs a program returned for input/output tests into its verdict, by comparing them with the
/// reference solution's outputs outside the candidate's process. The verdict keeps the test counts and only
/// the first failing test (a HumanEval+ problem has about a thousand tests). A test whose expected output the
/// reference solution could not produce (it failed that test itself) is excluded: it counts neither way, and the
/// verdict says how many were excluded.
/// </summary>
internal static class IoVerdicts
{
    /// <summary>Part of every input/output verdict's key: changes when the rules below change what a verdict is.</summary>
    public const string Version = "io-verdicts-2";

    public static ProgramVerdict Compare(ProgramVerdict raw, IoFunctionJudge judge, ProgramVerdict? reference)
    {
        // Expected outputs given by the dataset (APPS) win over the reference solution's.
        var expected = judge.Expected is { } given
            ? given.Select(e => new TestOutcome(true, RunStatus.Ok, null, 0, e)).ToList()
            : reference?.Tests ?? [];
        if (expected.Count == 0 && judge.Inputs.Count > 0)
        {
            // Not the candidate's doing: there is nothing to compare its outputs with. Not stored (not storable).
            return raw with { Status = RunStatus.SandboxError, Error = "no expected outputs: the problem's reference solution gave none", Tests = [] };
        }
        // Tests the reference failed (or stopped before) have nothing to compare with.
        bool Excluded(int i) => i >= expected.Count || !expected[i].Passed;
        var excluded = Enumerable.Range(0, judge.Inputs.Count).Count(Excluded);
        var passed = 0;
        TestOutcome? firstFailure = null;
        var failedIndex = -1;
        for (var i = 0; i < raw.Tests.Count; i++)
        {
            var test = raw.Tests[i];
            var ok = test.Passed;
            // Never counted as passed, nor as failed.
            if (Excluded(i)) continue;
            if (ok)
            {
                ok = OutputComparison.Matches(test.Output, expected[i].Output, judge.Atol, judge.Oracle, i < judge.Inputs.Count ? judge.Inputs[i] : null);
                if (!ok) test = test with { Passed = false, Status = RunStatus.WrongAnswer, Error = Mismatch(test.Output, expected[i].Output) };
            }
            if (ok) passed++;
            else if (firstFailure is null)
            {
                firstFailure = test;
                failedIndex = i;
            }
        }
        var total = judge.Inputs.Count - excluded;
        var status = raw.Status;
        string? error = raw.Error;
        if (status == RunStatus.Ok && firstFailure is not null)
        {
            status = firstFailure.Status == RunStatus.Ok ? RunStatus.WrongAnswer : firstFailure.Status;
            error = $"{(failedIndex < judge.BaseCount ? "base" : "plus")} test {failedIndex}: {firstFailure.Error}";
        }
        else if (status == RunStatus.Ok && raw.Tests.Count < judge.Inputs.Count)
        {
            status = RunStatus.RuntimeError;
            error = $"only {raw.Tests.Count} of {judge.Inputs.Count} tests ran";
        }
        else if (status != RunStatus.Ok && failedIndex >= 0)
        {
            error = $"{(failedIndex < judge.BaseCount ? "base" : "plus")} test {failedIndex}: {error ?? firstFailure!.Error ?? status.ToWireName()}";
        }
        var baseTests = Math.Min(judge.BaseCount, raw.Tests.Count);
        return raw with
        {
            Status = status,
            Error = error,
            Tests = firstFailure is null ? [] : [firstFailure with { Output = Truncate(firstFailure.Output) }],
            TestsTotal = total,
            TestsPassed = passed,
            TestsExcluded = excluded > 0 ? excluded : null,
            BasePassed = baseTests == judge.BaseCount && (failedIndex < 0 || failedIndex >= judge.BaseCount),
        };
    }

    private static string Mismatch(string? output, string? expected) =>
        $"expected {Truncate(expected) ?? "nothing"}, got {Truncate(output) ?? "nothing"}";

    private static string? Truncate(string? text) => text is { Length: > 200 } ? text[..200] + "..." : text;
}
