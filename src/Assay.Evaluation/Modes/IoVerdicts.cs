using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Turns the outputs a program returned for input/output tests into its verdict, by comparing them with the
/// reference solution's outputs outside the candidate's process. The verdict keeps the test counts and only
/// the first failing test (a HumanEval+ problem has about a thousand tests).
/// </summary>
internal static class IoVerdicts
{
    public static ProgramVerdict Compare(ProgramVerdict raw, IoFunctionJudge judge, ProgramVerdict? reference)
    {
        // Expected outputs given by the dataset (APPS) win over the reference solution's.
        var expected = judge.Expected is { } given
            ? given.Select(e => new TestOutcome(true, RunStatus.Ok, null, 0, e)).ToList()
            : reference?.Tests ?? [];
        var passed = 0;
        TestOutcome? firstFailure = null;
        var failedIndex = -1;
        for (var i = 0; i < raw.Tests.Count; i++)
        {
            var test = raw.Tests[i];
            var ok = test.Passed;
            if (ok && i < expected.Count && expected[i].Passed)
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
        var total = judge.Inputs.Count;
        var status = raw.Status;
        string? error = raw.Error;
        if (status == RunStatus.Ok && firstFailure is not null)
        {
            status = firstFailure.Status == RunStatus.Ok ? RunStatus.WrongAnswer : firstFailure.Status;
            error = $"{(failedIndex < judge.BaseCount ? "base" : "plus")} test {failedIndex}: {firstFailure.Error}";
        }
        else if (status == RunStatus.Ok && raw.Tests.Count < total)
        {
            status = RunStatus.RuntimeError;
            error = $"only {raw.Tests.Count} of {total} tests ran";
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
            BasePassed = baseTests == judge.BaseCount && (failedIndex < 0 || failedIndex >= judge.BaseCount),
        };
    }

    private static string Mismatch(string? output, string? expected) =>
        $"expected {Truncate(expected) ?? "nothing"}, got {Truncate(output) ?? "nothing"}";

    private static string? Truncate(string? text) => text is { Length: > 200 } ? text[..200] + "..." : text;
}
