using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Evaluation.Pipeline;

namespace Assay.Evaluation.Tests.Pipeline;

/// <summary>The one judging pipeline's own rules, with a fake runner behind its seam (no sandbox needed).</summary>
public sealed class PipelineTests
{
    private static readonly StdioTest[] EchoTests = [new("1\n", "1\n"), new("2\n", "2\n"), new("3\n", "3\n")];

    private static Problem Echo(string? reference = null, double? ownLimit = null) =>
        new("Echo/1", "fakepy", "", null, reference, new StdioJudge(EchoTests, OutputMatch.Exact, ownLimit));

    private static JudgingPipeline Pipeline(FakeRunner runner, MemoryStore store, EvaluationOptions? options = null) =>
        new(runner, store, options ?? new EvaluationOptions());

    [Fact]
    public async Task A_compile_that_timed_out_is_reported_but_never_stored()
    {
        var runner = new FakeRunner("fakepy", "fakec");
        var store = new MemoryStore();
        var result = await Pipeline(runner, store).JudgeAsync([new JudgeRequest(Echo(), "compile-timeout\necho", "fakec")]);
        Assert.Equal(RunStatus.CompileError, result.Programs[0].Verdict.Status);
        Assert.True(result.Programs[0].Verdict.Transient);
        Assert.Equal(0, store.Puts);
    }

    [Fact]
    public async Task Sandbox_faults_are_never_stored_and_verdicts_are()
    {
        var runner = new FakeRunner("fakepy");
        var store = new MemoryStore();
        var result = await Pipeline(runner, store).JudgeAsync(
            [new JudgeRequest(Echo(), "sandbox-fault"), new JudgeRequest(Echo(), "echo"), new JudgeRequest(Echo(), "print 7")]);
        Assert.Equal([RunStatus.SandboxError, RunStatus.Ok, RunStatus.WrongAnswer], result.Programs.Select(p => p.Verdict.Status));
        Assert.Equal(2, store.Puts);
    }

    [Fact]
    public async Task Equal_programs_are_judged_once_and_a_rerun_comes_from_the_store()
    {
        var runner = new FakeRunner("fakepy");
        var store = new MemoryStore();
        var problem = Echo();
        var requests = Enumerable.Range(0, 5).Select(_ => new JudgeRequest(problem, "echo")).ToList();
        var first = await Pipeline(runner, store).JudgeAsync(requests);
        Assert.Equal(1, first.DistinctPrograms);
        Assert.Equal(EchoTests.Length, runner.Runs.Count);
        var again = await Pipeline(runner, store).JudgeAsync(requests);
        Assert.All(again.Programs, p => Assert.True(p.FromStore));
        Assert.Equal(0, again.JudgedNow);
        Assert.Equal(EchoTests.Length, runner.Runs.Count);
    }

    [Fact]
    public async Task The_limit_is_calibrated_from_the_reference_and_the_wall_backstop_follows_the_policy()
    {
        var runner = new FakeRunner("fakepy");
        var result = await Pipeline(runner, new MemoryStore()).JudgeAsync([new JudgeRequest(Echo(reference: "echo\ncpu 120"), "echo")]);
        // max(floor, 10 × 120 ms) = 1.2 s per test; the wall-clock backstop 3 × 1.2 + 1.
        Assert.Equal(1.2, result.Calibrations.Single().TimeLimitSeconds, 6);
        var candidateRuns = runner.Runs.Where(r => r.Source == "echo").ToList();
        Assert.Equal(EchoTests.Length, candidateRuns.Count);
        Assert.All(candidateRuns, r => Assert.Equal(1.2, r.CpuLimitSeconds, 6));
        Assert.All(candidateRuns, r => Assert.Equal(4.6, r.WallLimitSeconds, 6));
        // The reference itself ran every test with the generous calibration limit.
        Assert.Equal(EchoTests.Length, runner.Runs.Count(r => r.CpuLimitSeconds == TimeLimitPolicy.Default.CalibrationSeconds));
    }

    [Theory]
    [InlineData(null, null, 2.0)]   // nothing to go by: the policy's per-test default
    [InlineData(3.0, null, 3.0)]    // the problem's own limit
    [InlineData(3.0, 0.25, 0.25)]   // the user's fixed limit wins
    public async Task Limits_come_from_one_policy(double? own, double? fixedLimit, double expected)
    {
        var runner = new FakeRunner("fakepy");
        var options = new EvaluationOptions { TimeLimit = fixedLimit is { } f ? TimeSpan.FromSeconds(f) : null };
        var result = await Pipeline(runner, new MemoryStore(), options).JudgeAsync([new JudgeRequest(Echo(ownLimit: own), "echo")]);
        Assert.Equal(expected, result.Calibrations.Single().TimeLimitSeconds, 6);
        Assert.All(runner.Runs, r => Assert.Equal(expected, r.CpuLimitSeconds, 6));
    }

    [Theory]
    [InlineData(null, null, null, 5.0)]    // the default 2 s per test, × 2.5 for the slow-starting language
    [InlineData(3.0, null, null, 7.5)]     // the problem's own limit (given for a fast language), × 2.5
    [InlineData(null, "echo\ncpu 120", null, 1.2)] // calibrated from the reference: measured, not scaled
    [InlineData(3.0, null, 0.25, 0.25)]    // the user's fixed limit is what the user said
    public async Task A_languages_time_multiplier_scales_assumed_limits_only(double? own, string? reference, double? fixedLimit, double expected)
    {
        var runner = new FakeRunner("fakepy", "fakejvm");
        var options = new EvaluationOptions { TimeLimit = fixedLimit is { } f ? TimeSpan.FromSeconds(f) : null };
        var problem = Echo(reference, own);
        var result = await Pipeline(runner, new MemoryStore(), options).JudgeAsync(
            [new JudgeRequest(problem, "echo", "fakejvm"), new JudgeRequest(problem, "echo")]);
        Assert.All(result.Programs, p => Assert.True(p.Verdict.Passed));
        Assert.All(runner.Runs.Where(r => r.Language == "fakejvm"), r => Assert.Equal(expected, r.CpuLimitSeconds, 6));
        var unscaled = reference is not null || fixedLimit is not null ? expected : expected / 2.5;
        Assert.All(runner.Runs.Where(r => r.Language == "fakepy" && r.Source == "echo"), r => Assert.Equal(unscaled, r.CpuLimitSeconds, 6));
        Assert.Equal(EchoTests.Length, runner.Runs.Count(r => r.Language == "fakejvm"));
    }

    [Fact]
    public async Task A_stdio_problem_is_judged_in_the_language_each_request_names()
    {
        var runner = new FakeRunner("fakepy", "fakec");
        var problem = Echo();
        var result = await Pipeline(runner, new MemoryStore()).JudgeAsync(
            [new JudgeRequest(problem, "echo"), new JudgeRequest(problem, "echo", "fakec")]);
        Assert.All(result.Programs, p => Assert.True(p.Verdict.Passed));
        Assert.Equal(EchoTests.Length, runner.Runs.Count(r => r.Language == "fakec"));
        Assert.Equal(EchoTests.Length, runner.Runs.Count(r => r.Language == "fakepy"));
    }

    [Fact]
    public async Task An_unknown_language_is_a_sandbox_error_naming_it_not_a_crash()
    {
        var result = await Pipeline(new FakeRunner("fakepy"), new MemoryStore()).JudgeAsync([new JudgeRequest(Echo(), "echo", "cobol")]);
        Assert.Equal(RunStatus.SandboxError, result.Programs[0].Verdict.Status);
        Assert.Contains("cobol", result.Programs[0].Verdict.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_tests_are_judged_when_asked_and_only_up_to_the_first_failure_otherwise()
    {
        var tests = new StdioTest[] { new("1\n", "9\n"), new("2\n", "2\n"), new("3\n", "3\n"), new("4\n", "4\n") };
        var all = new Problem("Echo/2", "fakepy", "", null, null, new StdioJudge(tests, OutputMatch.Exact, RunAllTests: true));
        var problem = all with { Judge = new StdioJudge(tests, OutputMatch.Exact) };
        var runner = new FakeRunner("fakepy");
        var result = await Pipeline(runner, new MemoryStore()).JudgeAsync(
            [new JudgeRequest(all, "echo"), new JudgeRequest(problem, "echo\n")]);
        Assert.Equal(4, result.Programs[0].Verdict.Tests.Count);
        Assert.Equal(3, result.Programs[0].Verdict.TestsPassed);
        Assert.True(result.Programs[1].Verdict.Tests.Count < 4);
        Assert.All(result.Programs, p => Assert.Equal(RunStatus.WrongAnswer, p.Verdict.Status));
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_option()
    {
        var bad = new EvaluationOptions { TimeLimitFloor = TimeSpan.Zero };
        var error = Assert.Throws<ArgumentException>(() => new JudgingPipeline(new FakeRunner("fakepy"), new MemoryStore(), bad));
        Assert.Contains("--time-limit-floor", error.Message, StringComparison.Ordinal);
    }
}
