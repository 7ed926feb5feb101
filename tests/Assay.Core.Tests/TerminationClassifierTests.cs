using Assay.Core.Execution;

namespace Assay.Core.Tests;

public sealed class TerminationClassifierTests
{
    private static readonly ResourceLimits Limits = ResourceLimits.Default;

    [Fact]
    public void Exit_zero_is_ok()
    {
        var (status, exit, signal, _) = TerminationClassifier.Classify(new Termination { Kind = TerminationKind.Exited, WrapperExitCode = 0 }, Limits);
        Assert.Equal(RunStatus.Ok, status);
        Assert.Equal(0, exit);
        Assert.Null(signal);
    }

    [Fact]
    public void Wrapper_status_above_128_is_a_signal()
    {
        var (status, exit, signal, _) = TerminationClassifier.Classify(new Termination { Kind = TerminationKind.Exited, WrapperExitCode = 139 }, Limits);
        Assert.Equal(RunStatus.RuntimeError, status);
        Assert.Null(exit);
        Assert.Equal(11, signal);
    }

    [Fact]
    public void Setup_failure_is_a_sandbox_error_not_the_candidates_fault()
    {
        var (status, _, _, message) = TerminationClassifier.Classify(new Termination { Kind = TerminationKind.SetupError, WrapperExitCode = 1, Error = "no bwrap" }, Limits);
        Assert.Equal(RunStatus.SandboxError, status);
        Assert.Contains("no bwrap", message);
    }

    [Fact]
    public void Output_cap_wins_over_a_later_kill()
    {
        var t = new Termination { Kind = TerminationKind.Killed, KilledFor = KillReason.Output, WrapperExitCode = 137, StdoutTruncated = true };
        Assert.Equal(RunStatus.OutputLimit, TerminationClassifier.Classify(t, Limits).Status);
    }

    [Fact]
    public void Oom_kill_is_a_memory_limit()
    {
        var t = new Termination { Kind = TerminationKind.Exited, WrapperExitCode = 137, OomKilled = true };
        Assert.Equal(RunStatus.MemoryLimit, TerminationClassifier.Classify(t, Limits).Status);
    }

    [Fact]
    public void Sigxcpu_is_a_time_limit()
    {
        var t = new Termination { Kind = TerminationKind.Exited, WrapperExitCode = 128 + 24 };
        Assert.Equal(RunStatus.TimeLimit, TerminationClassifier.Classify(t, Limits).Status);
    }

    [Fact]
    public void Wall_kill_is_a_time_limit()
    {
        var t = new Termination { Kind = TerminationKind.Killed, KilledFor = KillReason.WallTime, WrapperExitCode = 137 };
        var (status, _, _, message) = TerminationClassifier.Classify(t, Limits);
        Assert.Equal(RunStatus.TimeLimit, status);
        Assert.Contains("wall", message);
    }

    [Fact]
    public void Stopped_after_an_oom_kill_is_a_memory_limit_even_with_cpu_time_used_up()
    {
        // The supervisor stopped the run because the OOM killer took one of its processes; the rest were killed by it.
        var t = new Termination { Kind = TerminationKind.Killed, KilledFor = KillReason.Memory, WrapperExitCode = 137, OomKilled = true,
            CpuTimeMs = Limits.CpuTime.TotalMilliseconds };
        var (status, _, _, message) = TerminationClassifier.Classify(t, Limits);
        Assert.Equal(RunStatus.MemoryLimit, status);
        Assert.Contains("memory", message);
    }

    [Theory]
    [InlineData("Traceback (most recent call last):\n  File \"/box/main.py\", line 1, in <module>\nMemoryError\n", 1, RunStatus.MemoryLimit)]
    [InlineData("Traceback (most recent call last):\nValueError: no\n", 1, RunStatus.RuntimeError)]
    [InlineData("MemoryError\n", 0, RunStatus.Ok)]
    public void A_runtimes_out_of_memory_message_with_a_failed_exit_is_a_memory_limit(string stderr, int exitCode, RunStatus expected)
    {
        var t = new Termination { Kind = TerminationKind.Exited, WrapperExitCode = exitCode };
        Assert.Equal(expected, TerminationClassifier.Classify(t, Limits, stderr, ["MemoryError"]).Status);
        // Without the language's signals only the OOM killer tells of memory.
        Assert.Equal(exitCode == 0 ? RunStatus.Ok : RunStatus.RuntimeError, TerminationClassifier.Classify(t, Limits, stderr).Status);
    }
}
